import { Module } from '@nestjs/common';
import { DispatchModule } from '@clarion/dispatch';
import { BroadcastsController } from './broadcasts.controller';

@Module({
  imports: [DispatchModule],
  controllers: [BroadcastsController],
})
export class BroadcastsApiModule {}
