import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { DomainError } from '@clarion/common';
import type { Environment } from '@clarion/config';
import { ApiToken } from './api-token.entity';
import { TokenPrincipal } from './principal';
import { Role } from './role';
import { hashToken, newToken, sameHash } from './token-hash';

export interface IssuedToken {
  id: number;
  name: string;
  role: Role;
  token: string;
  createdAt: Date;
}

@Injectable()
export class ApiTokensService {
  private readonly bootstrapHash?: string;

  constructor(
    @InjectRepository(ApiToken) private readonly tokens: Repository<ApiToken>,
    config: ConfigService<Environment, true>,
  ) {
    const bootstrap = config.get('CLARION_ADMIN_TOKEN', { infer: true });
    this.bootstrapHash = bootstrap ? hashToken(bootstrap) : undefined;
  }

  /** Returns who holds this token, or undefined for an unknown or revoked one. */
  async authenticate(token: string): Promise<TokenPrincipal | undefined> {
    const hash = hashToken(token);
    if (this.bootstrapHash && sameHash(hash, this.bootstrapHash)) {
      return { kind: 'token', tokenId: 'bootstrap', name: 'bootstrap admin', role: Role.Admin };
    }
    const found = await this.tokens.findOne({ where: { tokenHash: hash, revokedAt: IsNull() } });
    if (!found) return undefined;
    void this.tokens.update(found.id, { lastUsedAt: new Date() }).catch(() => undefined);
    return { kind: 'token', tokenId: found.id, name: found.name, role: found.role };
  }

  /** Issues a token; the plain value is returned once and never stored. */
  async issue(name: string, role: Role): Promise<IssuedToken> {
    const token = newToken();
    const saved = await this.tokens.save(this.tokens.create({ name, role, tokenHash: hashToken(token), tokenHint: token.slice(-6) }));
    return { id: saved.id, name: saved.name, role: saved.role, token, createdAt: saved.createdAt };
  }

  list(): Promise<ApiToken[]> {
    return this.tokens.find({ order: { id: 'ASC' } });
  }

  async revoke(id: number): Promise<void> {
    const result = await this.tokens.update({ id, revokedAt: IsNull() }, { revokedAt: new Date() });
    if (!result.affected) throw DomainError.notFound('active token', id);
  }
}
