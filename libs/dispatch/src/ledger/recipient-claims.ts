import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { affected } from '@clarion/broadcasts';
import { OutboundEvents, writeOutbox } from '@clarion/outbound-webhooks';
import type { TemplateComponentParameters } from '@clarion/whatsapp';

export interface ClaimedRecipient {
  id: number;
  contactId: number;
  phone: string;
  attempts: number;
  components: TemplateComponentParameters[];
  /** Resolved at fan-out where the recipient's clock matters (quiet hours); null otherwise. */
  timeZone: string | null;
}

export interface Claim {
  token: string;
  broadcastId: number;
  recipients: ClaimedRecipient[];
  /** Rows the claiming query found opted out and skipped instead (not in `recipients`). */
  optedOut?: number;
}

interface ClaimedRow {
  id: string;
  contact_id: string;
  phone: string;
  attempts: number;
  params: unknown;
  time_zone: string | null;
  dispatch_state: 'claimed' | 'skipped';
}

export interface Accepted {
  id: number;
  wamid: string;
}
export interface Retry {
  id: number;
  delayMs: number;
  /** false for attempts that did not count (the sender's fault, e.g. an auth error). */
  countsAsAttempt: boolean;
  code: number;
  title: string;
}
export interface Refused {
  id: number;
  code: number;
  title: string;
  detail: string | null;
  /** 'failed' (refused for good) or 'skipped' (e.g. 131049: not sent, by Meta's choice). */
  outcome: 'failed' | 'skipped';
  skipReason?: string;
}

export interface BatchOutcome {
  accepted: Accepted[];
  retries: Retry[];
  refused: Refused[];
  /** Claimed but not sent (pause, quota): straight back to pending. */
  released: number[];
}

/** recipient.failed for each send refused for good (one multi-row INSERT per batch). */
function refusedEvents(claim: Claim, refused: Refused[]) {
  const phones = new Map(claim.recipients.map((r) => [r.id, r.phone]));
  return refused
    .filter((r) => r.outcome === 'failed')
    .map((r) =>
      OutboundEvents.recipientFailed({
        broadcastId: claim.broadcastId,
        recipientId: r.id,
        phone: phones.get(r.id),
        errorCode: r.code,
        errorTitle: r.title,
      }),
    );
}

const ER_LOCK_DEADLOCK = 1213;
const ER_LOCK_WAIT_TIMEOUT = 1205;
const RECORD_ATTEMPTS = 20;
/** A lost connection (MariaDB restarting) is retried for this long: the batch's messages have left. */
const RECORD_LOST_BUDGET_MS = 120_000;
/** Server gone away / lost connection / connection killed / shutdown in progress. */
const LOST_ERRNOS = new Set([2006, 2013, 1927, 1053]);
const LOST_CODES = new Set(['PROTOCOL_CONNECTION_LOST', 'ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'ER_CONNECTION_KILLED']);

/** How a failed batch write may be retried: 'lock' (conflict, nothing written), 'lost' (connection gone: it may have committed), or null. */
export function retryableWriteError(error: unknown): 'lock' | 'lost' | null {
  const e = error as { driverError?: { errno?: number; code?: string }; errno?: number; code?: string; message?: string };
  const errno = e?.driverError?.errno ?? e?.errno;
  const code = e?.driverError?.code ?? e?.code;
  if (errno === ER_LOCK_DEADLOCK || errno === ER_LOCK_WAIT_TIMEOUT) return 'lock';
  if ((errno !== undefined && LOST_ERRNOS.has(errno)) || (code !== undefined && LOST_CODES.has(code))) return 'lost';
  if (/closed state|connection lost|server has gone away/i.test(e?.message ?? '')) return 'lost';
  return null;
}

/** Claimed tokens renewed per statement, expired claims settled per transaction. */
const RENEW_CHUNK = 500;
const RECLAIM_CHUNK = 1_000;

export interface ExpiredClaim {
  id: number | string;
  broadcast_id: number | string;
  wamid: string | null;
}

/**
 * Per broadcast, which expired claims were in fact accepted (the ledger holds their wamid: the
 * message left) and which go back to pending.
 */
export function splitExpiredClaims(rows: ExpiredClaim[]): Map<number, { accepted: number[]; pending: number[] }> {
  const out = new Map<number, { accepted: number[]; pending: number[] }>();
  for (const r of rows) {
    const broadcastId = Number(r.broadcast_id);
    const split = out.get(broadcastId) ?? { accepted: [], pending: [] };
    (r.wamid ? split.accepted : split.pending).push(Number(r.id));
    out.set(broadcastId, split);
  }
  return out;
}

const caseOf = (pairs: Array<[number, string | number | null]>): [string, unknown[]] => {
  const params: unknown[] = [];
  const sql = pairs.map(([id, v]) => (params.push(id, v), 'WHEN ? THEN ?')).join(' ');
  return [`CASE id ${sql} END`, params];
};

/**
 * The recipient ledger as dispatch moves it: pending → claimed (by a worker, with a per-batch
 * token) → accepted with the wamid | failed | back to pending with a retry time. A claim is a
 * lease: its worker renews it while it holds the batch, and one nobody renewed is handed back. Every batch is written in one transaction with its counters.
 */
@Injectable()
export class RecipientClaims {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Claims up to `limit` due pending recipients of a broadcast, in id order. Opt-out is checked
   * in the claiming UPDATE itself (a contact may have opted out since fan-out: a STOP reply, the
   * API, an import): those rows end `skipped` with reason `opted_out` in the same statement and
   * are counted in the broadcast's stats in the same transaction; the claim holds only the rest.
   */
  async claim(broadcastId: number, workerId: string, limit: number): Promise<Claim> {
    const token = randomBytes(8).toString('hex');
    // READ COMMITTED: locks only the rows claimed, not the gaps after them, so fan-out can keep
    // appending recipients to the same broadcast while it is being sent. MariaDB assigns SET
    // columns left to right, so the columns after dispatch_state see whether it was skipped.
    const { rows, optedOut } = await this.db.transaction('READ COMMITTED', async (m) => {
      const result = await m.query(
        `UPDATE broadcast_recipients r SET
           r.dispatch_state = IF(EXISTS (SELECT 1 FROM contacts c WHERE c.id = r.contact_id AND c.opted_out = 1), 'skipped', 'claimed'),
           r.status = IF(r.dispatch_state = 'skipped', 'skipped', r.status),
           r.skip_reason = IF(r.dispatch_state = 'skipped', 'opted_out', r.skip_reason),
           r.params = IF(r.dispatch_state = 'skipped', NULL, r.params),
           r.claimed_by = ?, r.claim_token = ?, r.claimed_at = NOW(3)
         WHERE r.broadcast_id = ? AND r.dispatch_state = 'pending' AND (r.next_attempt_at IS NULL OR r.next_attempt_at <= NOW(3))
         ORDER BY r.id LIMIT ?`,
        [workerId, token, broadcastId, limit],
      );
      if (affected(result) === 0) return { rows: [], optedOut: 0 };
      const claimedRows: ClaimedRow[] = await m.query(
        'SELECT id, contact_id, phone, attempts, params, time_zone, dispatch_state FROM broadcast_recipients WHERE claim_token = ? ORDER BY id',
        [token],
      );
      const skipped = claimedRows.filter((r) => r.dispatch_state === 'skipped').length;
      if (skipped > 0) {
        await m.query("UPDATE broadcast_recipients SET claim_token = NULL WHERE claim_token = ? AND dispatch_state = 'skipped'", [token]);
        await m.query('UPDATE broadcast_stats SET skipped = skipped + ? WHERE broadcast_id = ?', [skipped, broadcastId]);
      }
      return { rows: claimedRows.filter((r) => r.dispatch_state === 'claimed'), optedOut: skipped };
    });
    return {
      token,
      broadcastId,
      optedOut,
      recipients: rows.map((r) => ({
        id: Number(r.id),
        contactId: Number(r.contact_id),
        phone: r.phone,
        attempts: Number(r.attempts),
        components: (typeof r.params === 'string' ? JSON.parse(r.params) : r.params) ?? [],
        timeZone: r.time_zone ?? null,
      })),
    };
  }

  /**
   * Writes a batch's outcome and the broadcast's counters in one transaction. The messages have
   * left, so this must not give up on a lock conflict (status webhooks update the same rows):
   * deadlocks and lock waits are retried with a growing pause.
   */
  async record(claim: Claim, outcome: BatchOutcome): Promise<void> {
    let lost = false;
    const started = Date.now();
    for (let attempt = 1; ; attempt++) {
      try {
        // After a lost connection the earlier COMMIT may have landed: every row of the batch then
        // has its token cleared, and writing again would count the batch twice. The token is also
        // cleared if the claim's lease ran out meanwhile: then only the accepted sends still matter.
        if (lost && !(await this.stillHeld(claim.token))) return await this.acceptedAfterLoss(outcome.accepted, claim.broadcastId);
        return await this.recordOnce(claim, outcome);
      } catch (error) {
        const kind = retryableWriteError(error);
        const exhausted = kind === 'lost' ? Date.now() - started > RECORD_LOST_BUDGET_MS : attempt >= RECORD_ATTEMPTS;
        if (exhausted || kind === null) throw error;
        if (kind === 'lost') lost = true;
        await new Promise((r) => setTimeout(r, Math.min(20 * attempt * (kind === 'lost' ? 10 : 1), 2_000)));
      }
    }
  }

  /**
   * The batch's token is gone after a lost connection: either its write landed (every accepted row
   * is accepted: nothing to do) or its lease ran out and the rows were handed back before it could
   * land. The messages did leave, so rows not yet accepted are marked accepted with their wamid
   * and counted once (rows the reclaim found a wamid for are already accepted and counted).
   */
  private async acceptedAfterLoss(accepted: Accepted[], broadcastId: number): Promise<void> {
    if (accepted.length === 0) return;
    await this.db.transaction('READ COMMITTED', async (m) => {
      const open: Array<{ id: string | number }> = await m.query(
        "SELECT id FROM broadcast_recipients WHERE id IN (?) AND dispatch_state IN ('claimed','pending') FOR UPDATE",
        [accepted.map((a) => a.id)],
      );
      if (open.length === 0) return;
      const ids = new Set(open.map((r) => Number(r.id)));
      const n = await this.markAccepted(
        m,
        accepted.filter((a) => ids.has(a.id)),
      );
      if (n) await m.query('UPDATE broadcast_stats SET accepted = accepted + ? WHERE broadcast_id = ?', [n, broadcastId]);
    });
  }

  private async stillHeld(token: string): Promise<boolean> {
    const rows = await this.db.query('SELECT 1 FROM broadcast_recipients WHERE claim_token = ? LIMIT 1', [token]);
    return rows.length > 0;
  }

  private async recordOnce(claim: Claim, outcome: BatchOutcome): Promise<void> {
    await this.db.transaction('READ COMMITTED', async (m) => {
      if (outcome.accepted.length) await this.markAccepted(m, outcome.accepted);
      if (outcome.refused.length) await this.markRefused(m, outcome.refused);
      await writeOutbox(m, refusedEvents(claim, outcome.refused));
      if (outcome.retries.length) await this.markRetry(m, claim.token, outcome.retries);
      if (outcome.released.length) await this.release(claim.token, outcome.released, m);
      const failed = outcome.refused.filter((r) => r.outcome === 'failed').length;
      const skipped = outcome.refused.length - failed;
      if (outcome.accepted.length || outcome.refused.length) {
        await m.query(
          'UPDATE broadcast_stats SET accepted = accepted + ?, failed = failed + ?, refused = refused + ?, skipped = skipped + ? WHERE broadcast_id = ?',
          [outcome.accepted.length, failed, failed, skipped, claim.broadcastId],
        );
      }
    });
  }

  /**
   * The wamid is written even if a recovery handed the claim back meanwhile (the message did
   * leave): only an already accepted row is left alone. A status webhook may have set the same
   * wamid first (from biz_opaque_callback_data); writing the identical value again is harmless.
   */
  private async markAccepted(m: EntityManager, accepted: Accepted[]): Promise<number> {
    const [wamidCase, params] = caseOf(accepted.map((a) => [a.id, a.wamid]));
    const result = await m.query(
      `UPDATE broadcast_recipients SET dispatch_state = 'accepted', accepted_at = NOW(3), attempts = attempts + 1, wamid = ${wamidCase},
         claim_token = NULL, next_attempt_at = NULL
       WHERE id IN (?) AND dispatch_state IN ('claimed','pending')`,
      [...params, accepted.map((a) => a.id)],
    );
    return affected(result);
  }

  private async markRefused(m: EntityManager, refused: Refused[]): Promise<void> {
    const [codeCase, codeParams] = caseOf(refused.map((r) => [r.id, r.code]));
    const [titleCase, titleParams] = caseOf(refused.map((r) => [r.id, r.title.slice(0, 255)]));
    const [detailCase, detailParams] = caseOf(refused.map((r) => [r.id, r.detail?.slice(0, 1000) ?? null]));
    const [stateCase, stateParams] = caseOf(refused.map((r) => [r.id, r.outcome]));
    const [skipCase, skipParams] = caseOf(refused.map((r) => [r.id, r.skipReason ?? null]));
    await m.query(
      `UPDATE broadcast_recipients SET dispatch_state = ${stateCase}, status = ${stateCase}, failed_at = IF(${stateCase} = 'failed', NOW(3), failed_at),
         error_code = ${codeCase}, error_title = ${titleCase}, error_detail = ${detailCase}, skip_reason = ${skipCase},
         attempts = attempts + 1, claim_token = NULL
       WHERE id IN (?) AND dispatch_state = 'claimed'`,
      [
        ...stateParams,
        ...stateParams,
        ...stateParams,
        ...codeParams,
        ...titleParams,
        ...detailParams,
        ...skipParams,
        refused.map((r) => r.id),
      ],
    );
  }

  private async markRetry(m: EntityManager, token: string, retries: Retry[]): Promise<void> {
    const [delayCase, delayParams] = caseOf(retries.map((r) => [r.id, Math.round(r.delayMs * 1000)]));
    const [incCase, incParams] = caseOf(retries.map((r) => [r.id, r.countsAsAttempt ? 1 : 0]));
    const [codeCase, codeParams] = caseOf(retries.map((r) => [r.id, r.code]));
    const [titleCase, titleParams] = caseOf(retries.map((r) => [r.id, r.title.slice(0, 255)]));
    await m.query(
      `UPDATE broadcast_recipients SET dispatch_state = 'pending', claim_token = NULL, claimed_by = NULL,
         next_attempt_at = NOW(3) + INTERVAL ${delayCase} MICROSECOND, attempts = attempts + ${incCase},
         error_code = ${codeCase}, error_title = ${titleCase}
       WHERE claim_token = ? AND id IN (?)`,
      [...delayParams, ...incParams, ...codeParams, ...titleParams, token, retries.map((r) => r.id)],
    );
  }

  /** Hands claimed, unsent recipients back (pause, quota, shutdown). */
  /** Of these contacts, those who opted out (a batch checks before each portion it sends). */
  async optedOutAmong(contactIds: number[]): Promise<Set<number>> {
    if (contactIds.length === 0) return new Set();
    const rows: Array<{ id: number | string }> = await this.db.query('SELECT id FROM contacts WHERE id IN (?) AND opted_out = 1', [
      contactIds,
    ]);
    return new Set(rows.map((r) => Number(r.id)));
  }

  async release(token: string, ids?: number[], m: EntityManager | DataSource = this.db): Promise<void> {
    await m.query(
      `UPDATE broadcast_recipients SET dispatch_state = 'pending', claim_token = NULL, claimed_by = NULL WHERE claim_token = ? AND dispatch_state = 'claimed'${ids ? ' AND id IN (?)' : ''}`,
      ids ? [token, ids] : [token],
    );
  }

  /**
   * Keeps the claims a live worker still holds from expiring: their lease starts again now. A batch
   * that is slow (a long wait for tokens, a slow sender) is never taken for an abandoned one.
   */
  async renew(tokens: string[]): Promise<void> {
    for (let i = 0; i < tokens.length; i += RENEW_CHUNK) {
      await this.db.query("UPDATE broadcast_recipients SET claimed_at = NOW(3) WHERE claim_token IN (?) AND dispatch_state = 'claimed'", [
        tokens.slice(i, i + RENEW_CHUNK),
      ]);
    }
  }

  /**
   * Claims whose lease ran out (`claimed_at` older than `leaseMs`: nobody renewed them — their
   * worker died, or lost the batch to a Redis or MySQL failure). Under FOR UPDATE the ledger
   * decides: a claim whose wamid is already known (a status webhook carried it back) was accepted
   * and is marked so, not resent; the rest go back to pending. Needs nothing but MySQL. Returns how
   * many were settled per broadcast.
   */
  async reclaimExpired(leaseMs: number): Promise<Map<number, number>> {
    const recovered = new Map<number, number>();
    if (await this.statusWebhooksBehind(leaseMs)) return recovered;
    for (;;) {
      const found = await this.db.transaction('READ COMMITTED', async (m) => {
        const rows: ExpiredClaim[] = await m.query(
          `SELECT r.id, r.broadcast_id, r.wamid FROM broadcasts b
             JOIN broadcast_recipients r ON r.broadcast_id = b.id AND r.dispatch_state = 'claimed'
           WHERE b.status IN ('running','paused','waiting_quota','cancelled') AND r.claimed_at < NOW(3) - INTERVAL ? MICROSECOND
           ORDER BY r.id LIMIT ? FOR UPDATE`,
          [leaseMs * 1000, RECLAIM_CHUNK],
        );
        for (const [broadcastId, split] of splitExpiredClaims(rows)) {
          if (split.accepted.length) {
            const n = affected(
              await m.query(
                `UPDATE broadcast_recipients SET dispatch_state = 'accepted', accepted_at = NOW(3), attempts = attempts + 1, claim_token = NULL
                 WHERE id IN (?) AND dispatch_state = 'claimed'`,
                [split.accepted],
              ),
            );
            if (n) await m.query('UPDATE broadcast_stats SET accepted = accepted + ? WHERE broadcast_id = ?', [n, broadcastId]);
          }
          if (split.pending.length) {
            await m.query(
              `UPDATE broadcast_recipients SET dispatch_state = 'pending', claim_token = NULL, claimed_by = NULL
               WHERE id IN (?) AND dispatch_state = 'claimed'`,
              [split.pending],
            );
          }
          recovered.set(broadcastId, (recovered.get(broadcastId) ?? 0) + split.accepted.length + split.pending.length);
        }
        return rows.length;
      });
      if (found < RECLAIM_CHUNK) return recovered;
    }
  }

  /**
   * Whether status webhooks received more than 2 s ago still wait to be applied (the webhook inbox,
   * owned by @clarion/webhooks, may hold a batch leased by the very worker that died). A 'sent'
   * status is what tells recovery that a claimed message did leave, so claims are not handed back
   * before those are in — unless the claims are 2 minutes (or 30 leases) old, so a stuck inbox cannot stall a broadcast for long.
   */
  private async statusWebhooksBehind(leaseMs: number): Promise<boolean> {
    try {
      const behind = await this.db.query(
        'SELECT 1 FROM webhook_events WHERE processed_at IS NULL AND attempts < 10 AND received_at < UTC_TIMESTAMP(3) - INTERVAL 2 SECOND LIMIT 1',
      );
      if (behind.length === 0) return false;
      const ancient = await this.db.query(
        "SELECT 1 FROM broadcast_recipients WHERE dispatch_state = 'claimed' AND claimed_at < NOW(3) - INTERVAL ? MICROSECOND LIMIT 1",
        [Math.max(leaseMs * 30, 120_000) * 1000],
      );
      return ancient.length === 0;
    } catch {
      return false; // no webhook inbox in this installation
    }
  }

  /** Whether a broadcast still has recipients to send (pending, due or not, or claimed). */
  async hasOpenWork(broadcastId: number): Promise<boolean> {
    const rows = await this.db.query(
      "SELECT 1 FROM broadcast_recipients WHERE broadcast_id = ? AND dispatch_state IN ('pending','claimed') LIMIT 1",
      [broadcastId],
    );
    return rows.length > 0;
  }
}
