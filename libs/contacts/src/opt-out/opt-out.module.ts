import { Module } from '@nestjs/common';
import { OptOutService } from './opt-out.service';

/** Opt-out and opt-in of contacts, for the webhook router and the contacts API. */
@Module({
  providers: [OptOutService],
  exports: [OptOutService],
})
export class OptOutModule {}
