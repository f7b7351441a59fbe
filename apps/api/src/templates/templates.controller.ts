import { Body, Controller, Delete, Get, Header, HttpCode, Param, ParseIntPipe, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Audited } from '@clarion/audit';
import { Principal, ReadRoles, Role, Roles } from '@clarion/auth';
import { DomainError, ErrorCode, Page } from '@clarion/common';
import { ImportResult, SubmitTemplate, SyncResult, SyncTemplates, TemplateExport, TemplatesService } from '@clarion/templates';
import {
  CreateTemplateDto,
  CurrentPrincipal,
  ListTemplatesQueryDto,
  SetTemplateStatusDto,
  SyncTemplatesDto,
  TemplatePageView,
  TemplateVariablesView,
  TemplateView,
  UpdateTemplateDto,
} from './template.dto';

const MAX_IMPORT = 10_000;

function adminOnlyStatus(principal: Principal, status: unknown): void {
  if (status !== undefined && principal.role !== Role.Admin) {
    throw new DomainError(ErrorCode.Forbidden, 'only an admin may set a template status; templates are approved by Meta (sync or webhook)');
  }
}

@ApiTags('templates')
@ApiBearerAuth()
@Roles(Role.Marketer)
@Controller('v1/templates')
export class TemplatesController {
  constructor(
    private readonly templates: TemplatesService,
    private readonly syncer: SyncTemplates,
    private readonly submitter: SubmitTemplate,
  ) {}

  @Post()
  @Audited('template.create', { target: 'template', table: 'templates' })
  @ApiOperation({
    summary:
      "Creates a template in Meta's format, validated against Meta's rules; with senderId it is submitted to Meta for that sender's WABA " +
      "and keeps Meta's id and status, else it is a local PENDING one unless an admin sets the status",
  })
  @ApiOkResponse({ type: TemplateView })
  async create(@Body() dto: CreateTemplateDto, @CurrentPrincipal() principal: Principal): Promise<TemplateView> {
    if (dto.senderId !== undefined) {
      if (dto.status !== undefined || dto.wabaId !== undefined)
        throw DomainError.validation(
          'a submitted template takes its WABA from the sender and its status from Meta: leave out wabaId and status',
        );
      return TemplateView.of(await this.submitter.execute({ ...dto, senderId: dto.senderId }));
    }
    adminOnlyStatus(principal, dto.status);
    return TemplateView.of(await this.templates.create(dto));
  }

  @Get()
  @Roles(...ReadRoles)
  @ApiOkResponse({ type: TemplatePageView })
  async list(@Query() query: ListTemplatesQueryDto): Promise<Page<TemplateView>> {
    const page = await this.templates.list({ status: query.status, search: query.search, wabaId: query.wabaId }, query.limit, query.cursor);
    return { data: page.data.map(TemplateView.of), nextCursor: page.nextCursor };
  }

  @Get('export')
  @Roles(...ReadRoles)
  @Audited('template.export', { target: 'template' })
  @Header('Content-Disposition', 'attachment; filename="templates.json"')
  @ApiOperation({ summary: "Every template in Meta's format with its status; POST it back to /v1/templates/import" })
  async export(): Promise<{ templates: TemplateExport[] }> {
    return { templates: await this.templates.exportAll() };
  }

  @Post('import')
  @Audited('template.import', { target: 'template' })
  @HttpCode(200)
  @ApiOperation({
    summary: 'Creates or replaces templates from an export ({ templates: [...] } or a bare array); bad items are reported, good ones kept',
  })
  @ApiBody({
    schema: {
      oneOf: [
        { type: 'array', items: { type: 'object' } },
        { type: 'object', properties: { templates: { type: 'array', items: { type: 'object' } } } },
      ],
    },
  })
  async import(@Body() body: unknown, @CurrentPrincipal() principal: Principal): Promise<ImportResult> {
    const items = Array.isArray(body) ? body : (body as { templates?: unknown } | null)?.templates;
    if (!Array.isArray(items)) throw DomainError.validation('send { "templates": [...] } or an array of templates');
    if (items.length > MAX_IMPORT) throw DomainError.validation(`at most ${MAX_IMPORT} templates per import`);
    return this.templates.importMany(items, principal.role === Role.Admin);
  }

  @Post('sync')
  @HttpCode(200)
  @ApiOperation({ summary: "Reads the templates of a sender's WABA from the Graph API, with Meta's statuses" })
  sync(@Body() dto: SyncTemplatesDto): Promise<SyncResult> {
    return this.syncer.syncFromSender(dto.senderId);
  }

  @Get(':id')
  @Roles(...ReadRoles)
  @ApiOkResponse({ type: TemplateView })
  async get(@Param('id', ParseIntPipe) id: number): Promise<TemplateView> {
    return TemplateView.of(await this.templates.get(id));
  }

  @Get(':id/variables')
  @Roles(...ReadRoles)
  @ApiOperation({ summary: 'What a send must supply: body parameters (count or names), header media, button parameters' })
  async variables(@Param('id', ParseIntPipe) id: number): Promise<TemplateVariablesView> {
    return this.templates.variablesOf(await this.templates.get(id));
  }

  @Patch(':id')
  @Audited('template.update', { target: 'template', table: 'templates' })
  @ApiOkResponse({ type: TemplateView })
  async update(
    @Param('id', ParseIntPipe) id: number,
    @Body() dto: UpdateTemplateDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<TemplateView> {
    adminOnlyStatus(principal, dto.status);
    return TemplateView.of(await this.templates.update(id, dto));
  }

  @Put(':id/status')
  @Audited('template.set_status', { target: 'template', table: 'templates' })
  @Roles()
  @ApiOperation({ summary: 'Admin: sets the status (e.g. APPROVED for a template approved outside Clarion)' })
  @ApiOkResponse({ type: TemplateView })
  async setStatus(@Param('id', ParseIntPipe) id: number, @Body() dto: SetTemplateStatusDto): Promise<TemplateView> {
    return TemplateView.of(await this.templates.setStatus(id, dto.status, dto.reason));
  }

  @Delete(':id')
  @Audited('template.delete', { target: 'template', table: 'templates' })
  @HttpCode(204)
  remove(@Param('id', ParseIntPipe) id: number): Promise<void> {
    return this.templates.remove(id);
  }
}

/** The same sync, addressed by sender. */
@ApiTags('templates')
@ApiBearerAuth()
@Roles(Role.Marketer)
@Controller('v1/senders/:id/templates')
export class SenderTemplatesController {
  constructor(private readonly syncer: SyncTemplates) {}

  @Post('sync')
  @HttpCode(200)
  sync(@Param('id', ParseIntPipe) id: number): Promise<SyncResult> {
    return this.syncer.syncFromSender(id);
  }
}
