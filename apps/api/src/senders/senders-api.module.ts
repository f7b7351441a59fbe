import { Module } from '@nestjs/common';
import { SendersModule } from '@clarion/senders';
import { SendersController } from './senders.controller';

@Module({
  imports: [SendersModule],
  controllers: [SendersController],
})
export class SendersApiModule {}
