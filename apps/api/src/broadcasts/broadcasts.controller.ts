import { Body, Controller, Delete, Get, HttpCode, Param, ParseIntPipe, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Audited } from '@clarion/audit';
import { Principal, ReadRoles, Role, Roles } from '@clarion/auth';
import { BroadcastLifecycle, BroadcastView, CreateBroadcast, RetryFailedRecipients, SaveRecipientsAsList } from '@clarion/broadcasts';
import type { ListView } from '@clarion/contacts';
import { BroadcastDetails, BroadcastDetailsQuery, DryRunBroadcast, DryRunReport, TestSend, TestSendResult } from '@clarion/dispatch';
import { BroadcastDetailsView, BroadcastViewSchema } from '../history/history.views';
import { DryRunBroadcastDto, DryRunReportView } from './dry-run.dto';
import { Caller, CopyBroadcastDto, CreateBroadcastDto, SaveRecipientsListDto, TestSendDto, UpdateBroadcastDto } from './broadcast.dto';

// Numeric ids only, so that sibling routes (e.g. the history's exports) are never taken for an id.
const ID = ':id(\\d+)';

/** Creating and driving broadcasts. The history list and drill-downs live in the statistics controller. */
@ApiTags('broadcasts')
@ApiBearerAuth()
@Controller('v1/broadcasts')
export class BroadcastsController {
  constructor(
    private readonly creator: CreateBroadcast,
    private readonly lifecycle: BroadcastLifecycle,
    private readonly details: BroadcastDetailsQuery,
    private readonly testSend: TestSend,
    private readonly dryRun: DryRunBroadcast,
    private readonly retryFailed: RetryFailedRecipients,
    private readonly saveAsList: SaveRecipientsAsList,
  ) {}

  @Post()
  @Audited('broadcast.create', { target: 'broadcast', table: 'broadcasts' })
  @Roles(Role.Marketer)
  @ApiOperation({ summary: 'Create a broadcast (scheduled now or at scheduledAt, or a draft); answers with its cost estimate' })
  @ApiCreatedResponse({ type: BroadcastViewSchema })
  create(@Body() dto: CreateBroadcastDto, @Caller() caller?: Principal): Promise<BroadcastView> {
    return this.creator.execute({ ...dto, createdBy: caller?.name ?? null });
  }

  @Post('dry-run')
  @HttpCode(200)
  @Roles(Role.Marketer)
  @ApiOperation({ summary: 'Render every recipient of a would-be broadcast and report what would be skipped; sends nothing' })
  @ApiOkResponse({ type: DryRunReportView })
  dryRunBroadcast(@Body() dto: DryRunBroadcastDto): Promise<DryRunReport> {
    return this.dryRun.execute(dto);
  }

  @Post('test-send')
  @HttpCode(200)
  @Roles(Role.Marketer)
  @ApiOperation({ summary: 'Send the rendered message to one number now' })
  sendTest(@Body() dto: TestSendDto): Promise<TestSendResult> {
    return this.testSend.execute(dto);
  }

  @Get(ID)
  @Roles(...ReadRoles)
  @ApiOperation({ summary: "A broadcast with its counters, rates, progress and the sender's messaging quota" })
  @ApiOkResponse({ type: BroadcastDetailsView })
  get(@Param('id', ParseIntPipe) id: number): Promise<BroadcastDetails> {
    return this.details.get(id);
  }

  @Patch(ID)
  @Audited('broadcast.update', { target: 'broadcast', table: 'broadcasts' })
  @Roles(Role.Marketer)
  @ApiOperation({ summary: 'Edit or reschedule a draft or scheduled broadcast' })
  @ApiOkResponse({ type: BroadcastViewSchema })
  update(@Param('id', ParseIntPipe) id: number, @Body() dto: UpdateBroadcastDto): Promise<BroadcastView> {
    return this.lifecycle.update(id, dto);
  }

  @Delete(ID)
  @Audited('broadcast.delete', { target: 'broadcast', table: 'broadcasts' })
  @HttpCode(204)
  @Roles(Role.Marketer)
  @ApiOperation({ summary: 'Delete a draft or scheduled broadcast' })
  remove(@Param('id', ParseIntPipe) id: number): Promise<void> {
    return this.lifecycle.remove(id);
  }

  @Post(`${ID}/pause`)
  @Audited('broadcast.pause', { target: 'broadcast', table: 'broadcasts' })
  @HttpCode(200)
  @Roles(Role.Marketer)
  @ApiOkResponse({ type: BroadcastViewSchema })
  pause(@Param('id', ParseIntPipe) id: number): Promise<BroadcastView> {
    return this.lifecycle.pause(id);
  }

  @Post(`${ID}/resume`)
  @Audited('broadcast.resume', { target: 'broadcast', table: 'broadcasts' })
  @HttpCode(200)
  @Roles(Role.Marketer)
  @ApiOkResponse({ type: BroadcastViewSchema })
  resume(@Param('id', ParseIntPipe) id: number): Promise<BroadcastView> {
    return this.lifecycle.resume(id);
  }

  @Post(`${ID}/cancel`)
  @Audited('broadcast.cancel', { target: 'broadcast', table: 'broadcasts' })
  @HttpCode(200)
  @Roles(Role.Marketer)
  @ApiOkResponse({ type: BroadcastViewSchema })
  cancel(@Param('id', ParseIntPipe) id: number): Promise<BroadcastView> {
    return this.lifecycle.cancel(id);
  }

  @Post(`${ID}/copy`)
  @Audited('broadcast.copy', { target: 'broadcast' })
  @Roles(Role.Marketer)
  @ApiOperation({ summary: '"Send again": a new broadcast with the same settings' })
  @ApiCreatedResponse({ type: BroadcastViewSchema })
  copy(@Param('id', ParseIntPipe) id: number, @Body() dto: CopyBroadcastDto, @Caller() caller?: Principal): Promise<BroadcastView> {
    return this.creator.copy(id, dto.scheduledAt ?? null, caller?.name ?? null, dto.draft ?? false);
  }

  @Post(`${ID}/retry-failed`)
  @Audited('broadcast.retry_failed', { target: 'broadcast' })
  @Roles(Role.Marketer)
  @ApiOperation({
    summary:
      'A draft with the same settings for the failed recipients a retry can reach (not 131026 or 131050, not opted out); 409 when there are none',
  })
  @ApiCreatedResponse({ type: BroadcastViewSchema })
  retry(@Param('id', ParseIntPipe) id: number, @Caller() caller?: Principal): Promise<BroadcastView> {
    return this.retryFailed.execute(id, caller?.name ?? null);
  }

  @Post(`${ID}/recipients/list`)
  @Audited('broadcast.save_as_list', { target: 'broadcast' })
  @Roles(Role.Marketer)
  @ApiOperation({ summary: 'Save the contacts of the recipients in these statuses as a contact list (added to it if the name exists)' })
  saveList(@Param('id', ParseIntPipe) id: number, @Body() dto: SaveRecipientsListDto): Promise<ListView & { added: number }> {
    return this.saveAsList.execute(id, dto.statuses, dto.name);
  }
}
