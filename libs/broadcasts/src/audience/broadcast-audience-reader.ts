import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError } from '@clarion/common';
import { AudienceContact, AudienceReader, CONTACT_CORE_COLUMNS, ContactCoreRow, toContactCore } from '@clarion/contacts';
import { FAILS_AGAIN_ON_RETRY } from '@clarion/whatsapp';
import { BroadcastAudience, isRetargetAudience, parseRetargetAudience, RetargetAudience, RetargetStatus } from './retarget-audience';

/**
 * The audiences of broadcasts: a contacts audience is read by the contacts library; the
 * recipients of an earlier broadcast (`{ broadcastId, statuses }`) are read here, from the
 * recipient ledger this library owns, in contact id order like every audience (keyset chunks
 * over the ledger's (broadcast, contact) key).
 */
@Injectable()
export class BroadcastAudienceReader {
  constructor(
    private readonly contacts: AudienceReader,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  /** Checks the audience's shape and that what it names exists; returns it normalised. */
  async validate(audience: unknown): Promise<BroadcastAudience> {
    if (!isRetargetAudience(audience)) return this.contacts.validate(audience);
    const parsed = parseRetargetAudience(audience as unknown as Record<string, unknown>);
    const [row] = await this.db.query('SELECT id FROM broadcasts WHERE id = ?', [parsed.broadcastId]);
    if (!row) throw DomainError.notFound('broadcast', parsed.broadcastId);
    return parsed;
  }

  async readChunk(audience: BroadcastAudience, afterContactId: number, limit: number): Promise<AudienceContact[]> {
    if (!isRetargetAudience(audience)) return this.contacts.readChunk(audience, afterContactId, limit);
    const { where, params } = recipientFilter(parseRetargetAudience(audience as unknown as Record<string, unknown>));
    // one row per contact: a sequence step's ledger holds a contact once per enrolment
    const rows: ContactCoreRow[] = await this.db.query(
      `SELECT ${CONTACT_CORE_COLUMNS} FROM contacts c WHERE c.id IN (
         SELECT * FROM (SELECT DISTINCT r.contact_id FROM broadcast_recipients r
           WHERE ${where} AND r.contact_id > ? ORDER BY r.contact_id LIMIT ?) AS chunk)
       ORDER BY c.id`,
      [...params, Math.max(0, Math.floor(afterContactId)), Math.max(1, Math.floor(limit))],
    );
    return rows.map(toContactCore);
  }

  /** How many contacts the audience holds (opted-out ones included, as for every audience). */
  async count(audience: BroadcastAudience): Promise<number> {
    if (!isRetargetAudience(audience)) return this.contacts.count(audience);
    const { where, params } = recipientFilter(parseRetargetAudience(audience as unknown as Record<string, unknown>));
    const [row] = await this.db.query(`SELECT COUNT(DISTINCT r.contact_id) AS n FROM broadcast_recipients r WHERE ${where}`, params);
    return Number(row?.n ?? 0);
  }

  /** Every contact id of a `{ broadcastId, statuses }` audience, a chunk at a time (for saving it as a list). */
  async *contactIds(audience: RetargetAudience, chunk = 5_000): AsyncGenerator<number[]> {
    const { where, params } = recipientFilter(audience);
    let after = 0;
    for (;;) {
      const rows: Array<{ contact_id: number | string }> = await this.db.query(
        `SELECT DISTINCT r.contact_id FROM broadcast_recipients r WHERE ${where} AND r.contact_id > ? ORDER BY r.contact_id LIMIT ?`,
        [...params, after, chunk],
      );
      if (rows.length === 0) return;
      const ids = rows.map((r) => Number(r.contact_id));
      yield ids;
      if (rows.length < chunk) return;
      after = ids[ids.length - 1];
    }
  }
}

/** The ledger rows of a retarget audience: its broadcast, its statuses, and for `retryable` the failures a retry can fix. */
function recipientFilter(audience: RetargetAudience): { where: string; params: unknown[] } {
  const statuses = audience.statuses.filter((s): s is Exclude<RetargetStatus, 'replied'> => s !== 'replied');
  const which: string[] = [];
  const params: unknown[] = [audience.broadcastId];
  if (statuses.length) {
    which.push('r.status IN (?)');
    params.push(statuses);
  }
  if (audience.statuses.includes('replied')) which.push('r.replied_at IS NOT NULL');
  let where = `r.broadcast_id = ? AND (${which.join(' OR ')})`;
  if (audience.retryable) {
    where += ` AND (r.status <> 'failed' OR r.error_code IS NULL OR r.error_code NOT IN (?))
      AND NOT EXISTS (SELECT 1 FROM contacts oc WHERE oc.id = r.contact_id AND oc.opted_out = 1)`;
    params.push([...FAILS_AGAIN_ON_RETRY]);
  }
  return { where, params };
}
