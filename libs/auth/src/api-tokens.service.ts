import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { clampLimit, decodeCursor, DomainError, Page, toPage } from '@clarion/common';
import { ApiToken } from './api-token.entity';
import { TokenPrincipal } from './principal';
import { Role } from './role';
import { hashToken, newToken } from './token-hash';

export interface IssuedToken {
  id: number;
  name: string;
  role: Role;
  token: string;
  createdAt: Date;
  expiresAt: Date | null;
}

export interface IssueTokenCommand {
  name: string;
  role: Role;
  /** Absent: the token does not expire. */
  expiresAt?: Date;
}

export const BOOTSTRAP_TOKEN_NAME = 'bootstrap admin (CLARION_ADMIN_TOKEN)';

/** How often a token's lastUsedAt is written at most: not on every request. */
const LAST_USED_EVERY_MS = 60_000;

/** API tokens: issued once in plain, stored hashed, revocable, optionally expiring. */
@Injectable()
export class ApiTokensService {
  private readonly logger = new Logger(ApiTokensService.name);

  constructor(@InjectRepository(ApiToken) private readonly tokens: Repository<ApiToken>) {}

  /** Who holds this token, or undefined for an unknown, revoked or expired one. */
  async authenticate(token: string): Promise<TokenPrincipal | undefined> {
    const found = await this.tokens.findOne({ where: { tokenHash: hashToken(token), revokedAt: IsNull() } });
    if (!found) return undefined;
    const now = Date.now();
    if (found.expiresAt && found.expiresAt.getTime() <= now) return undefined;
    if (!found.lastUsedAt || now - found.lastUsedAt.getTime() > LAST_USED_EVERY_MS) {
      this.tokens
        .update(found.id, { lastUsedAt: new Date(now) })
        .catch((error: Error) => this.logger.warn(`could not record use of token ${found.id}: ${error.message}`));
    }
    return { kind: 'token', tokenId: found.id, name: found.name, role: found.role };
  }

  /** Issues a token; the plain value is returned once and never stored. */
  async issue(command: IssueTokenCommand): Promise<IssuedToken> {
    if (command.expiresAt && command.expiresAt.getTime() <= Date.now()) throw DomainError.validation('expiresAt must be in the future');
    const token = newToken();
    const saved = await this.tokens.save(
      this.tokens.create({
        name: command.name,
        role: command.role,
        tokenHash: hashToken(token),
        tokenHint: token.slice(-6),
        expiresAt: command.expiresAt ?? null,
      }),
    );
    return { id: saved.id, name: saved.name, role: saved.role, token, createdAt: saved.createdAt, expiresAt: saved.expiresAt };
  }

  async list(limit?: number, cursor?: string): Promise<Page<ApiToken>> {
    const take = clampLimit(limit);
    const after = decodeCursor<{ id: number }>(cursor);
    const query = this.tokens
      .createQueryBuilder('t')
      .orderBy('t.id', 'ASC')
      .take(take + 1);
    if (after) query.where('t.id > :id', { id: Number(after.id) });
    return toPage(await query.getMany(), take, (last) => ({ id: last.id }));
  }

  /** Any token, the bootstrap one included (which comes back only from the environment at the next boot). */
  async revoke(id: number): Promise<void> {
    const result = await this.tokens.update({ id, revokedAt: IsNull() }, { revokedAt: new Date() });
    if (!result.affected) throw DomainError.notFound('active token', id);
  }

  /**
   * Makes CLARION_ADMIN_TOKEN a row (active again if it was revoked) and revokes the rows of any
   * earlier bootstrap token: changing the variable and restarting rotates it, unsetting it ends it.
   */
  async syncBootstrap(token: string | undefined): Promise<void> {
    const hash = token ? hashToken(token) : undefined;
    await this.tokens
      .createQueryBuilder()
      .update()
      .set({ revokedAt: () => 'CURRENT_TIMESTAMP(3)' })
      .where('bootstrap = 1 AND revoked_at IS NULL')
      .andWhere(hash ? 'token_hash <> :hash' : '1 = 1', { hash })
      .execute();
    if (!token || !hash) return;
    await this.tokens.query(
      `INSERT INTO api_tokens (name, role, token_hash, token_hint, bootstrap) VALUES (?, 'admin', ?, ?, 1)
       ON DUPLICATE KEY UPDATE revoked_at = NULL, expires_at = NULL, role = 'admin', bootstrap = 1`,
      [BOOTSTRAP_TOKEN_NAME, hash, token.slice(-6)],
    );
  }
}
