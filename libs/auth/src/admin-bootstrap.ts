import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Environment } from '@clarion/config';
import { ApiTokensService } from './api-tokens.service';
import { UsersService } from './users.service';

/**
 * At API boot, the environment's admin credentials take effect: CLARION_ADMIN_TOKEN becomes a
 * token row (an earlier one is revoked), and CLARION_ADMIN_EMAIL / CLARION_ADMIN_PASSWORD an
 * admin who can sign in.
 */
@Injectable()
export class AdminBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger(AdminBootstrap.name);

  constructor(
    private readonly tokens: ApiTokensService,
    private readonly users: UsersService,
    private readonly config: ConfigService<Environment, true>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.tokens.syncBootstrap(this.config.get('CLARION_ADMIN_TOKEN', { infer: true }));
    const email = this.config.get('CLARION_ADMIN_EMAIL', { infer: true });
    const password = this.config.get('CLARION_ADMIN_PASSWORD', { infer: true });
    if (!email || !password) return;
    await this.users.ensureAdmin(email, password);
    this.logger.log(`admin ${email} may sign in`);
  }
}
