import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { clampLimit, decodeCursor, DomainError, Page, toPage } from '@clarion/common';

export const RECIPIENT_STATUSES = ['queued', 'sent', 'delivered', 'read', 'failed', 'skipped', 'cancelled', 'replied'] as const;
export type RecipientStatusFilter = (typeof RECIPIENT_STATUSES)[number];

/** One recipient as analysts see it: each state's time, and why it failed or was skipped. */
export interface RecipientView {
  id: number;
  contactId: number;
  phone: string;
  country: string | null;
  status: string;
  wamid: string | null;
  acceptedAt: Date | null;
  sentAt: Date | null;
  deliveredAt: Date | null;
  readAt: Date | null;
  failedAt: Date | null;
  repliedAt: Date | null;
  errorCode: number | null;
  errorTitle: string | null;
  errorDetail: string | null;
  skipReason: string | null;
  cost: number | null;
  pricingCategory: string | null;
}

/** Columns of the recipients export that hold numbers (XLSX writes them as numbers). */
export const RECIPIENT_EXPORT_NUMERIC = [0, 1, 12, 16];

/** Header of the recipients export (CSV and XLSX): the raw row's columns, in order. */
export const RECIPIENT_EXPORT_HEADER = [
  'recipient_id',
  'contact_id',
  'phone',
  'country',
  'status',
  'wamid',
  'accepted_at',
  'sent_at',
  'delivered_at',
  'read_at',
  'failed_at',
  'replied_at',
  'error_code',
  'error_title',
  'error_detail',
  'skip_reason',
  'cost',
  'pricing_category',
];

const COLUMNS = `id, contact_id, phone, country, status, wamid, accepted_at, sent_at, delivered_at, read_at, failed_at, replied_at,
  error_code, error_title, error_detail, skip_reason, cost, pricing_category`;

/** ISO 8601 text (as Date#toISOString writes it), formatted by MySQL: exports skip Date objects. */
const iso = (col: string) => `CONCAT(LEFT(DATE_FORMAT(${col}, '%Y-%m-%dT%H:%i:%s.%f'), 23), 'Z')`;

/** The export's columns, in RECIPIENT_EXPORT_HEADER order, every one as text or NULL. */
const EXPORT_COLUMNS = `CAST(id AS CHAR), CAST(contact_id AS CHAR), phone, country, status, wamid, ${iso('accepted_at')}, ${iso('sent_at')},
  ${iso('delivered_at')}, ${iso('read_at')}, ${iso('failed_at')}, ${iso('replied_at')}, CAST(error_code AS CHAR), error_title, error_detail,
  skip_reason, CAST(cost AS CHAR), pricing_category`;

/** Raw rows (arrays, in COLUMNS order) → view. Arrays keep 1M-row exports cheap. */
export function toRecipientView(r: unknown[]): RecipientView {
  return {
    id: Number(r[0]),
    contactId: Number(r[1]),
    phone: r[2] as string,
    country: r[3] as string | null,
    status: r[4] as string,
    wamid: r[5] as string | null,
    acceptedAt: r[6] as Date | null,
    sentAt: r[7] as Date | null,
    deliveredAt: r[8] as Date | null,
    readAt: r[9] as Date | null,
    failedAt: r[10] as Date | null,
    repliedAt: r[11] as Date | null,
    errorCode: r[12] === null ? null : Number(r[12]),
    errorTitle: r[13] as string | null,
    errorDetail: r[14] as string | null,
    skipReason: r[15] as string | null,
    cost: r[16] === null ? null : Number(r[16]),
    pricingCategory: r[17] as string | null,
  };
}

/** A broadcast's recipients by status, keyset-paged on id. */
@Injectable()
export class RecipientsQuery {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async list(
    broadcastId: number,
    status: RecipientStatusFilter | undefined,
    limit?: number,
    cursor?: string,
  ): Promise<Page<RecipientView>> {
    await this.assertExists(broadcastId);
    const take = clampLimit(limit);
    const after = decodeCursor<{ id: number }>(cursor);
    if (after && typeof after.id !== 'number') throw DomainError.validation('cursor is not valid: pass the nextCursor of a previous page');
    const rows = await this.page(broadcastId, status, after?.id ?? 0, take + 1);
    return toPage(rows.map(toRecipientView), take, (last) => ({ id: last.id }));
  }

  /**
   * Every matching recipient as rows of text cells (RECIPIENT_EXPORT_HEADER order), in keyset
   * pages of `pageSize`. The next page is read while the caller writes this one, so the database
   * and the formatting overlap; at most two pages are held at once.
   */
  async *stream(
    broadcastId: number,
    status: RecipientStatusFilter | undefined,
    pageSize = 5_000,
  ): AsyncGenerator<Array<Array<string | null>>> {
    await this.assertExists(broadcastId);
    let next = this.page(broadcastId, status, 0, pageSize, EXPORT_COLUMNS);
    for (;;) {
      const rows = (await next) as Array<Array<string | null>>;
      if (rows.length === 0) return;
      const more = rows.length === pageSize;
      if (more) {
        next = this.page(broadcastId, status, Number(rows[rows.length - 1][0]), pageSize, EXPORT_COLUMNS);
        next.catch(() => undefined); // awaited on the next turn; a consumer that stops early must not leave it unhandled
      }
      yield rows;
      if (!more) return;
    }
  }

  async assertExists(broadcastId: number): Promise<void> {
    const [row] = await this.db.query('SELECT id FROM broadcasts WHERE id = ?', [broadcastId]);
    if (!row) throw DomainError.notFound('broadcast', broadcastId);
  }

  private async page(
    broadcastId: number,
    status: RecipientStatusFilter | undefined,
    afterId: number,
    take: number,
    columns = COLUMNS,
  ): Promise<unknown[][]> {
    const where = ['broadcast_id = ?'];
    const params: unknown[] = [broadcastId];
    // Keyset pages walk (broadcast, [status,] id) indexes; left alone, the optimizer sometimes
    // scans the primary key or another index instead and pages of a 1M-row broadcast crawl (~4×).
    let index = 'ix_recipient_broadcast';
    if (status === 'replied') where.push('replied_at IS NOT NULL');
    else if (status) {
      where.push('status = ?');
      params.push(status);
      index = 'ix_recipient_status';
    }
    where.push('id > ?');
    params.push(afterId, take);
    const runner = this.db.createQueryRunner('slave');
    try {
      await runner.connect();
      const conn = (runner as unknown as { databaseConnection: RawConnection }).databaseConnection;
      return await new Promise<unknown[][]>((resolve, reject) =>
        conn.query(
          {
            sql: `SELECT ${columns} FROM broadcast_recipients FORCE INDEX (${index}) WHERE ${where.join(' AND ')} ORDER BY id LIMIT ?`,
            values: params,
            rowsAsArray: true,
          },
          (err, rows) => (err ? reject(err) : resolve(rows as unknown[][])),
        ),
      );
    } finally {
      await runner.release();
    }
  }
}

interface RawConnection {
  query(options: { sql: string; values: unknown[]; rowsAsArray: boolean }, cb: (err: Error | null, rows: unknown) => void): void;
}
