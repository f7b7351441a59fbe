import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { MessagingQuota, QuotaUsage } from '../quota/messaging-quota';

/** A sender as the dashboard shows it: its caps and how much of its messaging limit is used now. */
export interface SenderQuota {
  id: number;
  name: string;
  phoneNumberId: string;
  status: string;
  throughputMps: number;
  portfolio: string | null;
  quota: QuotaUsage;
}

/** Every sender's throughput cap and rolling-window quota (one Redis read per sender or shared portfolio). */
@Injectable()
export class SenderQuotasQuery {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly quota: MessagingQuota,
  ) {}

  async list(limit = 200): Promise<SenderQuota[]> {
    const rows: Array<Record<string, unknown>> = await this.db.query(
      'SELECT id, name, phone_number_id, status, throughput_mps, messaging_limit, portfolio FROM senders ORDER BY name, id LIMIT ?',
      [limit],
    );
    const byScope = new Map<string, Promise<QuotaUsage>>();
    return Promise.all(
      rows.map(async (r) => {
        const id = Number(r.id);
        const portfolio = (r.portfolio as string | null) ?? null;
        const messagingLimit = r.messaging_limit === null ? null : Number(r.messaging_limit);
        const scope = portfolio ? `p:${portfolio}` : `s:${id}`;
        if (!byScope.has(scope)) byScope.set(scope, this.quota.usage({ senderId: id, portfolio, limit: messagingLimit }));
        return {
          id,
          name: r.name as string,
          phoneNumberId: r.phone_number_id as string,
          status: r.status as string,
          throughputMps: Number(r.throughput_mps),
          portfolio,
          quota: await byScope.get(scope)!,
        };
      }),
    );
  }
}
