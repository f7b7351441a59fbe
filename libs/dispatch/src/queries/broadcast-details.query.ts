import { Injectable } from '@nestjs/common';
import { BroadcastsRepository, BroadcastView, CostEstimator, SendersLookup, toBroadcastView } from '@clarion/broadcasts';
import { BroadcastRates, deriveRates } from '@clarion/stats';
import { ProgressMeter } from '../engine/progress-meter';
import { MessagingQuota, QuotaUsage } from '../quota/messaging-quota';

export interface BroadcastDetails extends BroadcastView {
  stats: {
    total: number;
    queued: number;
    sent: number;
    delivered: number;
    read: number;
    replied: number;
    failed: number;
    skipped: number;
    cancelled: number;
  };
  rates: BroadcastRates;
  progress: { accepted: number; total: number; ratePerSecond: number; etaSeconds: number | null };
  quota: QuotaUsage & { waitingUntil: Date | null };
}

/**
 * GET /v1/broadcasts/:id: the broadcast, its counters (broadcast_stats, one row), rates derived
 * from them, progress (current rate from Redis) and the sender's messaging quota. A constant
 * number of primary-key reads and Redis calls whatever the broadcast's size.
 */
@Injectable()
export class BroadcastDetailsQuery {
  constructor(
    private readonly broadcasts: BroadcastsRepository,
    private readonly senders: SendersLookup,
    private readonly progress: ProgressMeter,
    private readonly quota: MessagingQuota,
    private readonly cost: CostEstimator,
  ) {}

  async get(id: number): Promise<BroadcastDetails> {
    const b = await this.broadcasts.getById(id);
    const [s, sender, rate] = await Promise.all([
      this.broadcasts.findStats(id),
      this.senders.find(b.senderId),
      this.progress.ratePerSecond(id),
    ]);
    const st = s ?? { total: 0, accepted: 0, sent: 0, delivered: 0, read: 0, replied: 0, failed: 0, skipped: 0, refused: 0, cancelled: 0 };
    const queued = Math.max(0, st.total - st.skipped - st.accepted - st.refused - st.cancelled);
    const usage = sender
      ? await this.quota.usage({ senderId: sender.id, portfolio: sender.portfolio, limit: sender.messagingLimit })
      : { limit: null, used: 0, remaining: null, nextFreeAt: null, windowSeconds: this.quota.windowSeconds };
    const active = ['running', 'waiting_quota'].includes(b.status);
    return {
      ...toBroadcastView(b, this.cost.table.currency),
      stats: {
        total: st.total,
        queued,
        sent: st.sent,
        delivered: st.delivered,
        read: st.read,
        replied: st.replied,
        failed: st.failed,
        skipped: st.skipped,
        cancelled: st.cancelled,
      },
      rates: deriveRates(st),
      progress: {
        accepted: st.accepted,
        total: st.total - st.skipped - st.cancelled,
        ratePerSecond: rate,
        etaSeconds: active && rate > 0 ? Math.ceil(queued / rate) : queued === 0 ? 0 : null,
      },
      quota: { ...usage, waitingUntil: b.status === 'waiting_quota' ? b.resumeAt : null },
    };
  }
}
