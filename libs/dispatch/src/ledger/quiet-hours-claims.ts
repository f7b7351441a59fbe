import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { QuietHours, quietUntil } from '@clarion/broadcasts';
import type { Claim } from './recipient-claims';

/** A broadcast's quiet hours change only while it is a draft or scheduled: a short cache is exact enough. */
const SETTINGS_CACHE_MS = 5_000;

/**
 * Quiet hours, checked when recipients are claimed (so also for a recipient whose send was
 * delayed, by the messaging limit or a retry, into them): a claimed recipient whose own clock is
 * inside the broadcast's quiet hours goes back to pending with next_attempt_at at their end, which
 * the claim query respects. The recipient's zone was resolved at fan-out (`time_zone`, read with
 * the claim); a row without one is read in the broadcast's zone, else UTC.
 */
@Injectable()
export class QuietHoursClaims {
  private readonly settings = new Map<number, { quiet: QuietHours | null; zone: string | null; at: number }>();

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Holds the claimed recipients inside quiet hours until they end; returns their ids. */
  async holdQuiet(claim: Claim, now = new Date()): Promise<Set<number>> {
    if (claim.recipients.length === 0) return new Set();
    const { quiet, zone } = await this.settingsOf(claim.broadcastId);
    if (!quiet) return new Set();
    const untilOfZone = new Map<string, Date | null>();
    const held = new Map<number, number[]>();
    for (const r of claim.recipients) {
      const z = r.timeZone ?? zone ?? 'UTC';
      if (!untilOfZone.has(z)) untilOfZone.set(z, quietUntil(now, z, quiet));
      const until = untilOfZone.get(z);
      if (until) held.set(until.getTime(), [...(held.get(until.getTime()) ?? []), r.id]);
    }
    if (held.size === 0) return new Set();
    await this.db.transaction('READ COMMITTED', async (m) => {
      for (const [until, ids] of held)
        await m.query(
          `UPDATE broadcast_recipients SET dispatch_state = 'pending', claim_token = NULL, claimed_by = NULL, next_attempt_at = ?
           WHERE claim_token = ? AND dispatch_state = 'claimed' AND id IN (?)`,
          [new Date(until), claim.token, ids],
        );
    });
    return new Set([...held.values()].flat());
  }

  private async settingsOf(broadcastId: number): Promise<{ quiet: QuietHours | null; zone: string | null }> {
    const cached = this.settings.get(broadcastId);
    if (cached && Date.now() - cached.at < SETTINGS_CACHE_MS) return cached;
    const rows: Array<{ quiet_hours: unknown; timezone: string | null }> = await this.db.query(
      'SELECT quiet_hours, timezone FROM broadcasts WHERE id = ?',
      [broadcastId],
    );
    const raw = rows[0]?.quiet_hours ?? null;
    const quiet = (typeof raw === 'string' ? JSON.parse(raw) : raw) as QuietHours | null;
    const value = { quiet, zone: rows[0]?.timezone ?? null, at: Date.now() };
    if (this.settings.size > 1_000) this.settings.clear();
    this.settings.set(broadcastId, value);
    return value;
  }
}
