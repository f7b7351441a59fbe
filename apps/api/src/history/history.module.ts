import { Module } from '@nestjs/common';
import { DispatchModule } from '@clarion/dispatch';
import { StatsModule } from '@clarion/stats';
import { DashboardController } from './dashboard.controller';
import { HistoryController } from './history.controller';

/**
 * Listed in ApiModule's own `controllers`, ahead of every imported module's, so that
 * `GET /v1/broadcasts/export.csv` is routed here before the broadcasts controller's `:id`.
 */
export const HISTORY_CONTROLLERS = [HistoryController, DashboardController];

@Module({ imports: [StatsModule, DispatchModule], exports: [StatsModule, DispatchModule] })
export class HistoryModule {}
