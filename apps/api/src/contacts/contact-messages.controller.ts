import { Controller, Get, Param, ParseIntPipe, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ReadRoles, Roles } from '@clarion/auth';
import { ContactsQuery } from '@clarion/contacts';
import { ContactMessagesQuery } from '@clarion/stats';
import { ContactMessagesPageView } from './contacts.dto';
import { PageQueryDto } from '../http/page-query.dto';

/** What one contact was sent (its recipient rows across broadcasts and sequence steps). */
@ApiTags('contacts')
@ApiBearerAuth()
@Controller('v1/contacts')
export class ContactMessagesController {
  constructor(
    private readonly contacts: ContactsQuery,
    private readonly messages: ContactMessagesQuery,
  ) {}

  @Get(':id(\\d+)/messages')
  @Roles(...ReadRoles)
  @ApiOperation({ summary: "The broadcasts a contact was a recipient of, newest first, with each message's status" })
  @ApiOkResponse({ type: ContactMessagesPageView })
  async list(@Param('id', ParseIntPipe) id: number, @Query() page: PageQueryDto): Promise<ContactMessagesPageView> {
    await this.contacts.get(id);
    return this.messages.list(id, page.limit, page.cursor);
  }
}
