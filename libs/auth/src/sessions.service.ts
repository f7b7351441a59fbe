import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { Not, Repository } from 'typeorm';
import { UserPrincipal } from './principal';
import { Role } from './role';
import { Session } from './session.entity';
import { hashToken } from './token-hash';

/** A session ends after this long without a request… */
export const SESSION_IDLE_MS = 12 * 60 * 60 * 1000;
/** …and this long after sign-in, however busy. */
export const SESSION_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;
/** The idle clock is moved at most this often, so a busy console does not write on every request. */
export const SESSION_TOUCH_MS = 60 * 1000;

export interface SessionMeta {
  address?: string;
  userAgent?: string;
}

export interface OpenedSession {
  /** The cookie's value: shown to the browser once, stored only hashed. */
  token: string;
  id: number;
  expiresAt: Date;
}

interface SessionRow {
  id: number;
  created_at: Date;
  last_seen_at: Date;
  user_id: number;
  email: string;
  name: string;
  role: Role;
}

/** Server-side sessions of signed-in people: open, check (with sliding idle expiry) and end. */
@Injectable()
export class SessionsService {
  private readonly logger = new Logger(SessionsService.name);

  constructor(@InjectRepository(Session) private readonly sessions: Repository<Session>) {}

  async open(userId: number, meta: SessionMeta): Promise<OpenedSession> {
    const token = randomBytes(32).toString('base64url');
    const now = new Date();
    await this.removeExpired(userId, now);
    const saved = await this.sessions.save(
      this.sessions.create({
        userId,
        tokenHash: hashToken(token),
        createdAt: now,
        lastSeenAt: now,
        address: meta.address?.slice(0, 64) ?? null,
        userAgent: meta.userAgent?.slice(0, 255) ?? null,
      }),
    );
    return { token, id: Number(saved.id), expiresAt: new Date(now.getTime() + SESSION_MAX_AGE_MS) };
  }

  /** Who this cookie belongs to, or undefined when it is unknown, expired, or its user disabled. */
  async authenticate(token: string): Promise<UserPrincipal | undefined> {
    const [row]: SessionRow[] = await this.sessions.query(
      `SELECT s.id, s.created_at, s.last_seen_at, u.id AS user_id, u.email, u.name, u.role
         FROM sessions s JOIN users u ON u.id = s.user_id
        WHERE s.token_hash = ? AND u.disabled = 0`,
      [hashToken(token)],
    );
    if (!row) return undefined;
    const now = Date.now();
    if (now - row.last_seen_at.getTime() > SESSION_IDLE_MS || now - row.created_at.getTime() > SESSION_MAX_AGE_MS) {
      await this.sessions.delete({ id: row.id });
      return undefined;
    }
    if (now - row.last_seen_at.getTime() > SESSION_TOUCH_MS) {
      this.sessions
        .update({ id: row.id }, { lastSeenAt: new Date(now) })
        .catch((error: Error) => this.logger.warn(`could not extend session ${row.id}: ${error.message}`));
    }
    return { kind: 'user', userId: row.user_id, email: row.email, name: row.name, role: row.role, sessionId: Number(row.id) };
  }

  async close(sessionId: number): Promise<void> {
    await this.sessions.delete({ id: sessionId });
  }

  /** Ends every session of a user (disabled, deleted, new password), but `keep` if given. */
  async closeAllOf(userId: number, keep?: number): Promise<void> {
    await this.sessions.delete(keep === undefined ? { userId } : { userId, id: Not(keep) });
  }

  private async removeExpired(userId: number, now: Date): Promise<void> {
    await this.sessions
      .createQueryBuilder()
      .delete()
      .where('user_id = :userId', { userId })
      .andWhere('(last_seen_at < :idle OR created_at < :absolute)', {
        idle: new Date(now.getTime() - SESSION_IDLE_MS),
        absolute: new Date(now.getTime() - SESSION_MAX_AGE_MS),
      })
      .execute();
  }
}
