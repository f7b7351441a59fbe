import { Body, Controller, Delete, ForbiddenException, Get, HttpCode, Param, ParseIntPipe, Patch, Post, Query, Res } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Audited } from '@clarion/audit';
import { mapPages, Page, writeCsv } from '@clarion/common';
import { CurrentPrincipal, Principal, ReadRoles, Role, Roles } from '@clarion/auth';
import type { Environment } from '@clarion/config';
import { BulkAttributes, ContactsQuery, ContactView, CreateContact, DeleteContact, UpdateContact } from '@clarion/contacts';
import { AttributeKeysView, BulkAttributesDto, ContactQueryDto, CreateContactDto, ListContactsDto, UpdateContactDto } from './contacts.dto';

const FIXED_COLUMNS = ['id', 'phone', 'name', 'country', 'optedOut', 'tags', 'listIds', 'createdAt'];

@ApiTags('contacts')
@ApiBearerAuth()
@Roles(Role.Marketer)
@Controller('v1/contacts')
export class ContactsController {
  constructor(
    private readonly contacts: ContactsQuery,
    private readonly creating: CreateContact,
    private readonly updating: UpdateContact,
    private readonly deleting: DeleteContact,
    private readonly bulk: BulkAttributes,
    config: ConfigService<Environment, true>,
  ) {
    this.analystExport = config.get('ANALYST_CONTACT_EXPORT', { infer: true });
  }

  /** Analysts read contacts one page at a time; the bulk export of phones only when the operator allows it. */
  private readonly analystExport: boolean;

  @Get()
  @Roles(...ReadRoles)
  @ApiOperation({ summary: 'Search, filter, sort and page contacts' })
  list(@Query() query: ListContactsDto): Promise<Page<ContactView>> {
    return this.contacts.list(query.toFilter(), query.toSort(), query.limit, query.cursor);
  }

  @Get('export.csv')
  @Roles(...ReadRoles)
  @Audited('contact.export', { target: 'contact' })
  @ApiProduces('text/csv')
  @ApiOperation({ summary: 'The filtered contacts as CSV, one column per attribute; cells starting with = + - @ are escaped' })
  async export(@Query() query: ContactQueryDto, @Res() res: Response, @CurrentPrincipal() caller?: Principal): Promise<void> {
    if (caller?.role === Role.Analyst && !this.analystExport)
      throw new ForbiddenException('analysts may not export contacts in bulk (set ANALYST_CONTACT_EXPORT=true to allow it)');
    const filter = query.toFilter();
    const keys = await this.contacts.attributeKeys(filter);
    res.status(200).set({ 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="contacts.csv"' });
    const row = (c: ContactView): unknown[] => [
      c.id,
      c.phone,
      c.name,
      c.country,
      c.optedOut,
      c.tags.join(';'),
      c.listIds.join(';'),
      c.createdAt,
      ...keys.map((k) => c.attributes[k]),
    ];
    await writeCsv(res, [...FIXED_COLUMNS, ...keys], mapPages(this.contacts.stream(filter), row));
  }

  @Post('attributes')
  @HttpCode(200)
  @ApiOperation({ summary: 'Set and/or unset attributes on every contact matching a filter' })
  setAttributes(@Body() dto: BulkAttributesDto): Promise<{ matched: number }> {
    return this.bulk.execute({ filter: dto.filter, set: dto.set, unset: dto.unset });
  }

  @Get('attribute-keys')
  @Roles(...ReadRoles)
  @ApiOperation({ summary: 'The attribute names the filtered contacts have (read from up to 10,000 of them), sorted' })
  @ApiOkResponse({ type: AttributeKeysView })
  async attributeKeys(@Query() query: ContactQueryDto): Promise<AttributeKeysView> {
    return { keys: await this.contacts.attributeKeys(query.toFilter()) };
  }

  @Get(':id')
  @Roles(...ReadRoles)
  get(@Param('id', ParseIntPipe) id: number): Promise<ContactView> {
    return this.contacts.get(id);
  }

  @Post()
  create(@Body() dto: CreateContactDto): Promise<ContactView> {
    return this.creating.execute(dto);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change a contact; attributes merge (null removes one); optedOut sets the opt-out state' })
  update(@Param('id', ParseIntPipe) id: number, @Body() dto: UpdateContactDto): Promise<ContactView> {
    return this.updating.execute(id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  remove(@Param('id', ParseIntPipe) id: number): Promise<void> {
    return this.deleting.execute(id);
  }
}
