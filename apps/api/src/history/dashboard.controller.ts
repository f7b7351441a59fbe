import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ReadRoles, Roles } from '@clarion/auth';
import { Dashboard, DashboardQuery } from '@clarion/stats';
import { DashboardQueryDto } from './history.dto';

@ApiTags('statistics')
@ApiBearerAuth()
@Controller('v1/dashboard')
export class DashboardController {
  constructor(private readonly dashboard: DashboardQuery) {}

  @Get()
  @Roles(...ReadRoles)
  @ApiOperation({ summary: 'Totals across broadcasts by day (sent, delivered %, read %, replies, failures, cost)' })
  get(@Query() q: DashboardQueryDto): Promise<Dashboard> {
    const to = q.to ? new Date(q.to) : new Date();
    const from = q.from ? new Date(q.from) : new Date(to.getTime() - 30 * 86_400_000);
    return this.dashboard.byDay(from, to);
  }
}
