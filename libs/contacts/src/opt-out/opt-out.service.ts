import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { DomainError } from '@clarion/common';
import { OutboundEvents, writeOutbox } from '@clarion/outbound-webhooks';

/**
 * A WhatsApp id is the phone's digits without '+'; contacts are stored in E.164.
 * Accepts either, with spaces or dashes.
 */
export function waIdToE164(waIdOrPhone: string): string {
  const digits = waIdOrPhone.replace(/[^\d]/g, '');
  const e164 = `+${digits}`;
  if (!/^\+[1-9]\d{6,14}$/.test(e164)) throw DomainError.validation(`${waIdOrPhone} is not a WhatsApp id or an E.164 phone number`);
  return e164;
}

export interface OptOutChange {
  phone: string;
  /** False when the contact was already in the requested state. */
  changed: boolean;
}

/**
 * Records a person's choice to stop or resume receiving messages (a STOP keyword, Meta's
 * `user_preferences` webhook, or an operator). Opting out a number Clarion has no contact for
 * creates an opted-out contact, so a later import cannot message them.
 */
/** The pool or a transaction's manager. */
type Queryable = Pick<DataSource, 'query'>;

@Injectable()
export class OptOutService {
  private readonly logger = new Logger(OptOutService.name);

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async optOut(waIdOrPhone: string, at: Date = new Date()): Promise<OptOutChange> {
    const phone = waIdToE164(waIdOrPhone);
    return { phone, changed: await this.db.transaction((tx) => this.markOptedOut(tx, phone, at)) };
  }

  async optIn(waIdOrPhone: string): Promise<OptOutChange> {
    const phone = waIdToE164(waIdOrPhone);
    return { phone, changed: await this.markOptedIn(this.db, phone) };
  }

  /**
   * Applies a choice WhatsApp reported (a STOP / START keyword, `user_preferences`), made at
   * `at`. Order-independent: the newest choice per phone wins however the webhooks are
   * ordered or spread over workers (the per-phone row is locked until the contact is written).
   */
  async applyReported(waIdOrPhone: string, optedOut: boolean, at: Date): Promise<OptOutChange> {
    const phone = waIdToE164(waIdOrPhone);
    return this.db.transaction(async (tx) => {
      // MySQL assigns left to right: opted_out is decided against the old changed_at.
      await tx.query(
        `INSERT INTO opt_out_changes (phone, opted_out, changed_at) VALUES (?, ?, ?)
         ON DUPLICATE KEY UPDATE opted_out = IF(VALUES(changed_at) >= changed_at, VALUES(opted_out), opted_out), changed_at = GREATEST(changed_at, VALUES(changed_at))`,
        [phone, optedOut ? 1 : 0, at],
      );
      const [latest]: Array<{ opted_out: number; changed_at: Date }> = await tx.query(
        'SELECT opted_out, changed_at FROM opt_out_changes WHERE phone = ? FOR UPDATE',
        [phone],
      );
      const changed =
        Number(latest.opted_out) === 1 ? await this.markOptedOut(tx, phone, latest.changed_at) : await this.markOptedIn(tx, phone);
      return { phone, changed };
    });
  }

  /** Opts the contact out (keeping its first opt-out time), creating an opted-out contact if there is none; true if anything changed. */
  private async markOptedOut(q: Queryable, phone: string, at: Date): Promise<boolean> {
    const updated = await q.query('UPDATE contacts SET opted_out = 1, opted_out_at = ? WHERE phone = ? AND opted_out = 0', [at, phone]);
    // No row changed: either already opted out (keep its first opt-out time) or no contact yet.
    const changed =
      Number(updated.affectedRows) > 0 ||
      Number((await q.query('INSERT IGNORE INTO contacts (phone, opted_out, opted_out_at) VALUES (?, 1, ?)', [phone, at])).affectedRows) >
        0;
    if (changed) await writeOutbox(q, [OutboundEvents.contactOptedOut(phone, at)]);
    if (changed) this.logger.log('a contact opted out');
    return changed;
  }

  private async markOptedIn(q: Queryable, phone: string): Promise<boolean> {
    const result = await q.query('UPDATE contacts SET opted_out = 0, opted_out_at = NULL WHERE phone = ? AND opted_out = 1', [phone]);
    const changed = Number(result.affectedRows) > 0;
    if (changed) this.logger.log('a contact opted back in');
    return changed;
  }

  /** Whether this number is opted out (false for a number with no contact). */
  async isOptedOut(waIdOrPhone: string): Promise<boolean> {
    const rows: Array<{ opted_out: number }> = await this.db.query('SELECT opted_out FROM contacts WHERE phone = ?', [
      waIdToE164(waIdOrPhone),
    ]);
    return rows.length > 0 && Number(rows[0].opted_out) === 1;
  }
}
