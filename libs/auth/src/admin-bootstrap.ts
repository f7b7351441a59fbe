import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Environment } from '@clarion/config';
import { UsersService } from './users.service';

/** At API boot, `CLARION_ADMIN_EMAIL` / `CLARION_ADMIN_PASSWORD` (when set) name an admin who can sign in. */
@Injectable()
export class AdminBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger(AdminBootstrap.name);

  constructor(
    private readonly users: UsersService,
    private readonly config: ConfigService<Environment, true>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const email = this.config.get('CLARION_ADMIN_EMAIL', { infer: true });
    const password = this.config.get('CLARION_ADMIN_PASSWORD', { infer: true });
    if (!email || !password) return;
    await this.users.ensureAdmin(email, password);
    this.logger.log(`admin ${email} may sign in`);
  }
}
