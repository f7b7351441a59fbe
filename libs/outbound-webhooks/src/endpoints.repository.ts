import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { OutboundEventType } from './events';

export type EndpointStatus = 'enabled' | 'disabled';

export interface EndpointRow {
  id: number;
  url: string;
  description: string | null;
  events: OutboundEventType[];
  status: EndpointStatus;
  disabledReason: string | null;
  disabledAt: Date | null;
  failingSince: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface DeliveryRow {
  id: number;
  endpointId: number;
  eventId: string;
  eventType: string;
  attempt: number;
  status: 'succeeded' | 'failed';
  responseCode: number | null;
  error: string | null;
  durationMs: number;
  createdAt: Date;
}

export interface DeliveryAttempt {
  endpointId: number;
  eventId: string;
  eventType: string;
  attempt: number;
  ok: boolean;
  responseCode: number | null;
  error: string | null;
  durationMs: number;
}

const COLUMNS = 'id, url, description, events, status, disabled_reason, disabled_at, failing_since, created_at, updated_at';

function toEndpoint(r: Record<string, unknown>): EndpointRow {
  return {
    id: Number(r.id),
    url: String(r.url),
    description: (r.description as string | null) ?? null,
    events: (typeof r.events === 'string' ? JSON.parse(r.events) : r.events) as OutboundEventType[],
    status: r.status as EndpointStatus,
    disabledReason: (r.disabled_reason as string | null) ?? null,
    disabledAt: (r.disabled_at as Date | null) ?? null,
    failingSince: (r.failing_since as Date | null) ?? null,
    createdAt: r.created_at as Date,
    updatedAt: r.updated_at as Date,
  };
}

function toDelivery(r: Record<string, unknown>): DeliveryRow {
  return {
    id: Number(r.id),
    endpointId: Number(r.endpoint_id),
    eventId: String(r.event_id),
    eventType: String(r.event_type),
    attempt: Number(r.attempt),
    status: r.status as DeliveryRow['status'],
    responseCode: r.response_code === null ? null : Number(r.response_code),
    error: (r.error as string | null) ?? null,
    durationMs: Number(r.duration_ms),
    createdAt: r.created_at as Date,
  };
}

/** All I/O on webhook_endpoints and webhook_deliveries. The secret column is read only by findSecret. */
@Injectable()
export class EndpointsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async insert(v: { url: string; description: string | null; events: string[]; secretEnc: string }): Promise<number> {
    const r = await this.db.query('INSERT INTO webhook_endpoints (url, description, events, secret_enc) VALUES (?, ?, ?, ?)', [
      v.url,
      v.description,
      JSON.stringify(v.events),
      v.secretEnc,
    ]);
    return Number(r.insertId);
  }

  async findById(id: number): Promise<EndpointRow | null> {
    const [row] = await this.db.query(`SELECT ${COLUMNS} FROM webhook_endpoints WHERE id = ?`, [id]);
    return row ? toEndpoint(row) : null;
  }

  async findSecret(id: number): Promise<{ endpoint: EndpointRow; secretEnc: string } | null> {
    const [row] = await this.db.query(`SELECT ${COLUMNS}, secret_enc FROM webhook_endpoints WHERE id = ?`, [id]);
    return row ? { endpoint: toEndpoint(row), secretEnc: String(row.secret_enc) } : null;
  }

  /** Keyset page by id, `limit + 1` rows. */
  async listAfter(afterId: number, limit: number): Promise<EndpointRow[]> {
    const rows = await this.db.query(`SELECT ${COLUMNS} FROM webhook_endpoints WHERE id > ? ORDER BY id LIMIT ?`, [afterId, limit + 1]);
    return rows.map(toEndpoint);
  }

  /** Enabled endpoints and what they subscribe to: the relay's routing table. */
  async listEnabled(): Promise<Array<{ id: number; events: string[] }>> {
    const rows = await this.db.query("SELECT id, events FROM webhook_endpoints WHERE status = 'enabled'");
    return rows.map((r: Record<string, unknown>) => ({
      id: Number(r.id),
      events: (typeof r.events === 'string' ? JSON.parse(r.events) : r.events) as string[],
    }));
  }

  async update(
    id: number,
    v: Partial<{ url: string; description: string | null; events: string[]; secretEnc: string; enabled: boolean }>,
  ): Promise<void> {
    const sets: string[] = [];
    const params: unknown[] = [];
    if (v.url !== undefined) sets.push('url = ?') && params.push(v.url);
    if (v.description !== undefined) sets.push('description = ?') && params.push(v.description);
    if (v.events !== undefined) sets.push('events = ?') && params.push(JSON.stringify(v.events));
    if (v.secretEnc !== undefined) sets.push('secret_enc = ?') && params.push(v.secretEnc);
    if (v.enabled === true) sets.push("status = 'enabled', disabled_reason = NULL, disabled_at = NULL, failing_since = NULL");
    if (v.enabled === false) sets.push("status = 'disabled', disabled_reason = 'disabled by a user', disabled_at = NOW(3)");
    if (sets.length === 0) return;
    await this.db.query(`UPDATE webhook_endpoints SET ${sets.join(', ')} WHERE id = ?`, [...params, id]);
  }

  async delete(id: number): Promise<boolean> {
    return this.db.transaction(async (m) => {
      const r = await m.query('DELETE FROM webhook_endpoints WHERE id = ?', [id]);
      await m.query('DELETE FROM webhook_deliveries WHERE endpoint_id = ?', [id]);
      return Number(r.affectedRows) > 0;
    });
  }

  /**
   * Logs an attempt and keeps the endpoint's failure clock: a success clears `failing_since`,
   * a failure starts it; an endpoint failing for `disableAfterSeconds` is disabled. True when
   * this attempt disabled it. `wasFailing` is whether the clock ran when the delivery read the
   * endpoint: a success on a healthy endpoint and a failure within a running streak have no
   * clock to move, so the hot path is the INSERT alone (and the disabling check on a failure).
   */
  async recordAttempt(a: DeliveryAttempt, disableAfterSeconds: number, wasFailing: boolean): Promise<boolean> {
    await this.db.query(
      `INSERT INTO webhook_deliveries (endpoint_id, event_id, event_type, attempt, status, response_code, error, duration_ms)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        a.endpointId,
        a.eventId,
        a.eventType,
        a.attempt,
        a.ok ? 'succeeded' : 'failed',
        a.responseCode,
        a.error?.slice(0, 500) ?? null,
        a.durationMs,
      ],
    );
    if (a.ok) {
      if (wasFailing)
        await this.db.query('UPDATE webhook_endpoints SET failing_since = NULL WHERE id = ? AND failing_since IS NOT NULL', [a.endpointId]);
      return false;
    }
    if (!wasFailing)
      await this.db.query('UPDATE webhook_endpoints SET failing_since = NOW(3) WHERE id = ? AND failing_since IS NULL', [a.endpointId]);
    const r = await this.db.query(
      `UPDATE webhook_endpoints SET status = 'disabled', disabled_at = NOW(3),
         disabled_reason = CONCAT('every delivery failed since ', DATE_FORMAT(failing_since, '%Y-%m-%dT%H:%i:%sZ'), '; the last answer: ', ?)
       WHERE id = ? AND status = 'enabled' AND failing_since <= NOW(3) - INTERVAL ? SECOND`,
      [(a.responseCode !== null ? `HTTP ${a.responseCode}` : (a.error ?? 'no answer')).slice(0, 300), a.endpointId, disableAfterSeconds],
    );
    return Number(r.affectedRows) > 0;
  }

  /** An endpoint's attempts, newest first (keyset by id, `limit + 1` rows). */
  async deliveries(endpointId: number, beforeId: number | undefined, limit: number, status?: string): Promise<DeliveryRow[]> {
    const rows = await this.db.query(
      `SELECT * FROM webhook_deliveries WHERE endpoint_id = ?${beforeId !== undefined ? ' AND id < ?' : ''}${status ? ' AND status = ?' : ''}
       ORDER BY id DESC LIMIT ?`,
      [endpointId, ...(beforeId !== undefined ? [beforeId] : []), ...(status ? [status] : []), limit + 1],
    );
    return rows.map(toDelivery);
  }

  /** Deletes log rows older than `days`, in chunks; returns how many went. */
  async pruneDeliveries(days: number): Promise<number> {
    let total = 0;
    for (;;) {
      const r = await this.db.query('DELETE FROM webhook_deliveries WHERE created_at < NOW(3) - INTERVAL ? DAY LIMIT 10000', [days]);
      total += Number(r.affectedRows);
      if (Number(r.affectedRows) < 10_000) return total;
    }
  }
}
