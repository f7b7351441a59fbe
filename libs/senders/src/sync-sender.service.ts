import { Injectable, Logger } from '@nestjs/common';
import { DomainError } from '@clarion/common';
import { WhatsAppClients } from '@clarion/whatsapp';
import { THROUGHPUT_LEVELS, TIER_LIMITS } from './sender-limits';
import { Sender } from './sender.entity';
import { SendersRepository } from './senders.repository';
import { SendersService } from './senders.service';

/**
 * `POST /v1/senders/:id/sync`: reads the messaging limit, throughput level and quality rating
 * from the Graph API and adopts them (tables in sender-limits.ts). The limit is the business
 * portfolio's (`whatsapp_business_manager_messaging_limit`; Meta counts limits per portfolio since
 * October 2025 and deprecated the per-number `messaging_limit_tier`, read only when the new field
 * is absent or not a tier): it is set on every sender of the sender's `portfolio`, so they share
 * what Meta says. A tier or level Clarion does not know (TIER_NOT_SET) leaves the value alone.
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
    const tier = [info.portfolioMessagingLimit, info.messagingLimitTier].find((t) => t !== undefined && t in TIER_LIMITS);
    if (tier !== undefined) values.messagingLimit = TIER_LIMITS[tier];
    else if (info.portfolioMessagingLimit !== undefined || info.messagingLimitTier !== undefined)
      this.logger.warn(`sender ${id}: unknown messaging limit ${info.portfolioMessagingLimit ?? info.messagingLimitTier}; limit unchanged`);
    if (info.throughputLevel !== undefined) {
      if (info.throughputLevel in THROUGHPUT_LEVELS) values.throughputMps = THROUGHPUT_LEVELS[info.throughputLevel];
      else this.logger.warn(`sender ${id}: unknown throughput level ${info.throughputLevel}; throughput unchanged`);
    }
    if (info.qualityRating !== undefined) values.qualityRating = info.qualityRating.slice(0, 20);
    await this.repository.update(id, values);
    const { portfolio } = await this.senders.get(id);
    if (values.messagingLimit !== undefined && portfolio) {
      const shared = await this.repository.setPortfolioLimit(portfolio, values.messagingLimit);
      this.logger.log(`portfolio ${portfolio}: messaging limit ${values.messagingLimit ?? 'unlimited'} set on ${shared} senders`);
    }
    return this.senders.get(id);
  }
}
