import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError } from '@clarion/common';

/** What broadcasts need to know about a sender. */
export interface SenderSummary {
  id: number;
  wabaId: string | null;
  status: 'active' | 'paused' | 'broken';
  statusReason: string | null;
  throughputMps: number;
  messagingLimit: number | null;
  portfolio: string | null;
}

/** Reads senders (owned by @clarion/senders) as broadcasts and dispatch need them: no credentials here. */
@Injectable()
export class SendersLookup {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async find(id: number): Promise<SenderSummary | null> {
    const rows = await this.db.query(
      'SELECT id, waba_id, status, status_reason, throughput_mps, messaging_limit, portfolio FROM senders WHERE id = ?',
      [id],
    );
    const r = rows[0];
    if (!r) return null;
    return {
      id: Number(r.id),
      wabaId: r.waba_id,
      status: r.status,
      statusReason: r.status_reason,
      throughputMps: Number(r.throughput_mps),
      messagingLimit: r.messaging_limit === null ? null : Number(r.messaging_limit),
      portfolio: r.portfolio,
    };
  }

  async get(id: number): Promise<SenderSummary> {
    const s = await this.find(id);
    if (!s) throw DomainError.validation(`senderId: no sender ${id}`);
    return s;
  }
}
