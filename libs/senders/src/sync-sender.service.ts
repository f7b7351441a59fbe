import { Injectable, Logger } from '@nestjs/common';
import { DomainError } from '@clarion/common';
import { WhatsAppClients } from '@clarion/whatsapp';
import { THROUGHPUT_LEVELS, TIER_LIMITS } from './sender-limits';
import { Sender } from './sender.entity';
import { SendersRepository } from './senders.repository';
import { SendersService } from './senders.service';

/**
 * `POST /v1/senders/:id/sync`: reads the number's messaging-limit tier, throughput level and
 * quality rating from the Graph API and adopts them (tables in sender-limits.ts). A tier or
 * level Clarion does not know leaves the current value alone, with a log line.
 */
@Injectable()
export class SyncSender {
  private readonly logger = new Logger(SyncSender.name);

  constructor(
    private readonly senders: SendersService,
    private readonly repository: SendersRepository,
    private readonly clients: WhatsAppClients,
  ) {}

  async sync(id: number): Promise<Sender> {
    const credentials = await this.senders.getCredentials(id);
    if (credentials.api !== 'cloud')
      throw DomainError.validation(`sender ${id} uses the On-Premises API; only Cloud API senders can be synced from the Graph API`);
    const info = await this.clients.getPhoneNumberInfo(credentials);
    const values: Partial<Sender> = { syncedAt: new Date() };
    if (info.messagingLimitTier !== undefined) {
      if (info.messagingLimitTier in TIER_LIMITS) values.messagingLimit = TIER_LIMITS[info.messagingLimitTier];
      else this.logger.warn(`sender ${id}: unknown messaging_limit_tier ${info.messagingLimitTier}; limit unchanged`);
    }
    if (info.throughputLevel !== undefined) {
      if (info.throughputLevel in THROUGHPUT_LEVELS) values.throughputMps = THROUGHPUT_LEVELS[info.throughputLevel];
      else this.logger.warn(`sender ${id}: unknown throughput level ${info.throughputLevel}; throughput unchanged`);
    }
    if (info.qualityRating !== undefined) values.qualityRating = info.qualityRating.slice(0, 20);
    await this.repository.update(id, values);
    return this.senders.get(id);
  }
}
