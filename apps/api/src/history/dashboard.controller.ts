import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ReadRoles, Roles } from '@clarion/auth';
import { SenderQuota, SenderQuotasQuery } from '@clarion/dispatch';
import { Dashboard, DashboardQuery, FailureReason } from '@clarion/stats';
import { DashboardQueryDto } from './history.dto';
import { DashboardView, FailureReasonView, SenderQuotaView } from './history.views';

@ApiTags('statistics')
@ApiBearerAuth()
@Controller('v1/dashboard')
export class DashboardController {
  constructor(
    private readonly dashboard: DashboardQuery,
    private readonly senderQuotas: SenderQuotasQuery,
  ) {}

  @Get()
  @Roles(...ReadRoles)
  @ApiOperation({ summary: 'Totals across broadcasts by day (sent, delivered %, read %, replies, failures, cost)' })
  @ApiOkResponse({ type: DashboardView })
  get(@Query() q: DashboardQueryDto): Promise<Dashboard> {
    const { from, to } = range(q);
    return this.dashboard.byDay(from, to);
  }

  @Get('failures')
  @Roles(...ReadRoles)
  @ApiOperation({ summary: "The range's most frequent failure codes with Meta's titles (same range as the dashboard)" })
  @ApiOkResponse({ type: [FailureReasonView] })
  failures(@Query() q: DashboardQueryDto): Promise<FailureReason[]> {
    const { from, to } = range(q);
    return this.dashboard.topFailures(from, to);
  }

  @Get('senders')
  @Roles(...ReadRoles)
  @ApiOperation({
    summary: "Each sender's throughput cap and messaging quota: used and remaining in the rolling window, when the next slot frees",
  })
  @ApiOkResponse({ type: [SenderQuotaView] })
  senders(): Promise<SenderQuota[]> {
    return this.senderQuotas.list();
  }
}

function range(q: DashboardQueryDto): { from: Date; to: Date } {
  const to = q.to ? new Date(q.to) : new Date();
  const from = q.from ? new Date(q.from) : new Date(to.getTime() - 30 * 86_400_000);
  return { from, to };
}
