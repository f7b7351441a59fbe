import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { affected } from '@clarion/broadcasts';
import type { Environment } from '@clarion/config';
import type { Claim } from './recipient-claims';

/** "At most `messages` marketing messages per contact in the rolling `days` days." */
export interface FrequencyCap {
  messages: number;
  days: number;
}

/**
 * Of a claim's rows (in id order), those over the cap: a contact that already has `recent`
 * marketing messages counted may get `max - recent` more, the earliest rows first.
 */
export function overCap(rows: Array<{ id: number; contactId: number; recent: number }>, max: number): number[] {
  const granted = new Map<number, number>();
  const over: number[] = [];
  for (const r of rows) {
    const used = granted.get(r.contactId) ?? r.recent;
    if (used >= max) over.push(r.id);
    else granted.set(r.contactId, used + 1);
  }
  return over;
}

/**
 * The workspace's marketing frequency cap (FREQUENCY_CAP_MESSAGES in FREQUENCY_CAP_DAYS),
 * checked when recipients are claimed, across broadcasts and sequence steps: one query per
 * claim counts each claimed contact's marketing messages accepted within the period, plus
 * those other batches hold claimed before this one (so two workers sending the same contact at
 * once cannot both pass the last free slot); recipients over the cap are skipped
 * `frequency_capped`. Only broadcasts whose template is MARKETING are capped and counted.
 */
@Injectable()
export class FrequencyCappedClaims {
  private readonly logger = new Logger(FrequencyCappedClaims.name);
  readonly cap: FrequencyCap | null;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    config: ConfigService<Environment, true>,
  ) {
    const messages = config.get('FREQUENCY_CAP_MESSAGES', { infer: true });
    const days = config.get('FREQUENCY_CAP_DAYS', { infer: true });
    this.cap = messages && days ? { messages, days } : null;
  }

  /** Skips the claimed recipients over the cap (one transaction with the broadcast's counter); returns their ids. */
  async skipOverCap(claim: Claim): Promise<Set<number>> {
    if (!this.cap || claim.recipients.length === 0) return new Set();
    const rows: Array<{ id: string; contact_id: string; recent: string }> = await this.db.query(
      `SELECT c.id, c.contact_id,
         (SELECT COUNT(*) FROM broadcast_recipients p JOIN broadcasts pb ON pb.id = p.broadcast_id AND pb.template_category = 'MARKETING'
          WHERE p.contact_id = c.contact_id AND p.id <> c.id
            AND ((p.dispatch_state = 'accepted' AND p.accepted_at >= NOW(3) - INTERVAL ? DAY)
              OR (p.dispatch_state = 'claimed' AND p.claim_token <> c.claim_token
                  AND (p.claimed_at < c.claimed_at OR (p.claimed_at = c.claimed_at AND p.id < c.id))))) AS recent
       FROM broadcast_recipients c JOIN broadcasts b ON b.id = c.broadcast_id
       WHERE c.claim_token = ? AND b.template_category = 'MARKETING'
       ORDER BY c.id`,
      [this.cap.days, claim.token],
    );
    const over = overCap(
      rows.map((r) => ({ id: Number(r.id), contactId: Number(r.contact_id), recent: Number(r.recent) })),
      this.cap.messages,
    );
    if (over.length === 0) return new Set();
    const skipped = await this.db.transaction('READ COMMITTED', async (m) => {
      const n = affected(
        await m.query(
          `UPDATE broadcast_recipients SET dispatch_state = 'skipped', status = 'skipped', skip_reason = 'frequency_capped', params = NULL, claim_token = NULL
           WHERE claim_token = ? AND dispatch_state = 'claimed' AND id IN (?)`,
          [claim.token, over],
        ),
      );
      if (n > 0) await m.query('UPDATE broadcast_stats SET skipped = skipped + ? WHERE broadcast_id = ?', [n, claim.broadcastId]);
      return n;
    });
    this.logger.log({ broadcastId: claim.broadcastId, recipients: skipped }, 'recipients over the frequency cap skipped');
    return new Set(over);
  }
}
