import { Controller, Get, HttpCode, Param, ParseIntPipe, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Audited } from '@clarion/audit';
import { ReadRoles, Role, Roles } from '@clarion/auth';
import { mapPages, type Page, writeCsv } from '@clarion/common';
import { PriceTable } from '@clarion/pricing';
import {
  BroadcastStatsQuery,
  BroadcastSummary,
  DetailedStats,
  HISTORY_EXPORT_HEADER,
  historyExportRow,
  HistoryQuery,
  RECIPIENT_EXPORT_HEADER,
  RECIPIENT_EXPORT_NUMERIC,
  RecipientsQuery,
  RecipientView,
  ReconciliationReport,
  ReconciliationService,
  writeXlsx,
} from '@clarion/stats';
import { HistoryFilterDto, HistoryListQueryDto, RecipientsExportQueryDto, RecipientsQueryDto } from './history.dto';
import { BroadcastSummaryPageView, DetailedStatsView, RecipientPageView } from './history.views';

const CSV = 'text/csv; charset=utf-8';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * The broadcast history, statistics, recipient drill-down and exports. Registered before the
 * broadcasts controller so that `export.csv` is not taken for an `:id`.
 */
@ApiTags('statistics')
@ApiBearerAuth()
@Controller('v1/broadcasts')
export class HistoryController {
  constructor(
    private readonly history: HistoryQuery,
    private readonly stats: BroadcastStatsQuery,
    private readonly recipients: RecipientsQuery,
    private readonly reconciliation: ReconciliationService,
    private readonly prices: PriceTable,
  ) {}

  @Get()
  @Roles(...ReadRoles)
  @ApiOperation({ summary: 'Broadcast history: search, filter, sort by any figure or rate, cursor pagination' })
  @ApiOkResponse({ type: BroadcastSummaryPageView })
  list(@Query() q: HistoryListQueryDto): Promise<Page<BroadcastSummary>> {
    return this.history.list(q.toFilter(), q.limit, q.cursor);
  }

  @Get('export.csv')
  @Audited('broadcast.export_history', { target: 'broadcast' })
  @Roles(...ReadRoles)
  @ApiProduces(CSV)
  @ApiOperation({ summary: 'The history (same filters as the list) as streamed CSV' })
  async exportCsv(@Query() q: HistoryFilterDto, @Res() res: Response): Promise<void> {
    this.attach(res, CSV, 'broadcasts.csv');
    await writeCsv(res, HISTORY_EXPORT_HEADER, mapPages(this.history.stream(q.toFilter()), historyExportRow));
  }

  @Get('export.xlsx')
  @Audited('broadcast.export_history', { target: 'broadcast' })
  @Roles(...ReadRoles)
  @ApiProduces(XLSX)
  @ApiOperation({ summary: 'The history (same filters as the list) as a streamed XLSX workbook' })
  async exportXlsx(@Query() q: HistoryFilterDto, @Res() res: Response): Promise<void> {
    this.attach(res, XLSX, 'broadcasts.xlsx');
    await writeXlsx(res, 'Broadcasts', HISTORY_EXPORT_HEADER, mapPages(this.history.stream(q.toFilter()), historyExportRow));
  }

  @Get(':id/stats')
  @Roles(...ReadRoles)
  @ApiOperation({ summary: 'Detailed statistics: figures, rates, failures by error code, skips by reason, countries, per-minute series' })
  @ApiOkResponse({ type: DetailedStatsView })
  detail(@Param('id', ParseIntPipe) id: number): Promise<DetailedStats> {
    return this.stats.detail(id, this.prices.currency);
  }

  @Get(':id/recipients')
  @Roles(...ReadRoles)
  @ApiOperation({ summary: "A broadcast's recipients by status, with each state's time, error code and reason" })
  @ApiOkResponse({ type: RecipientPageView })
  listRecipients(@Param('id', ParseIntPipe) id: number, @Query() q: RecipientsQueryDto): Promise<Page<RecipientView>> {
    return this.recipients.list(id, q.status, q.limit, q.cursor);
  }

  @Get(':id/recipients.csv')
  @Audited('broadcast.export_recipients', { target: 'broadcast' })
  @Roles(...ReadRoles)
  @ApiProduces(CSV)
  @ApiOperation({ summary: 'Recipients as streamed, formula-safe CSV' })
  async recipientsCsv(@Param('id', ParseIntPipe) id: number, @Query() q: RecipientsExportQueryDto, @Res() res: Response): Promise<void> {
    await this.recipients.assertExists(id);
    this.attach(res, CSV, `broadcast-${id}-recipients.csv`);
    await writeCsv(res, RECIPIENT_EXPORT_HEADER, this.recipients.stream(id, q.status));
  }

  @Get(':id/recipients.xlsx')
  @Audited('broadcast.export_recipients', { target: 'broadcast' })
  @Roles(...ReadRoles)
  @ApiProduces(XLSX)
  @ApiOperation({ summary: 'Recipients as a streamed XLSX workbook' })
  async recipientsXlsx(@Param('id', ParseIntPipe) id: number, @Query() q: RecipientsExportQueryDto, @Res() res: Response): Promise<void> {
    await this.recipients.assertExists(id);
    this.attach(res, XLSX, `broadcast-${id}-recipients.xlsx`);
    await writeXlsx(res, 'Recipients', RECIPIENT_EXPORT_HEADER, this.recipients.stream(id, q.status), RECIPIENT_EXPORT_NUMERIC);
  }

  @Post(':id/reconcile')
  @HttpCode(200)
  @Roles(Role.Marketer)
  @ApiOperation({ summary: "Recount a broadcast's figures from its recipients, repair drift, and report each fix (old → new)" })
  reconcile(@Param('id', ParseIntPipe) id: number): Promise<ReconciliationReport> {
    return this.reconciliation.reconcileBroadcast(id);
  }

  private attach(res: Response, type: string, filename: string): void {
    res.status(200).setHeader('Content-Type', type);
    res.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
    res.setHeader('Cache-Control', 'no-store');
  }
}
