import { Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '@clarion/common';
import { dummyPasswordHash, verifyPassword } from './passwords';
import { FailureLimiter } from './rate-limits/failure-limiter';
import { OpenedSession, SessionMeta, SessionsService } from './sessions.service';
import { User } from './user.entity';
import { UsersService } from './users.service';

export interface SignedIn {
  user: User;
  session: OpenedSession;
}

/** The one answer to every failed sign-in, so it tells nobody which emails exist. */
export const WRONG_CREDENTIALS = 'wrong email or password';

/** Signs a person in with email and password, opening a session. */
@Injectable()
export class SignInService {
  constructor(
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly limiter: FailureLimiter,
  ) {}

  /** Refused with 429 once the email or the address has failed too often (checked before the password). */
  async execute(email: string, password: string, meta: SessionMeta): Promise<SignedIn> {
    await this.limiter.beginSignIn(email, meta.address);
    const user = await this.users.findWithPassword(email);
    // Unknown emails are checked against a dummy hash: the answer takes as long either way.
    const matches = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), password);
    if (!user || !matches || user.disabled) throw new DomainError(ErrorCode.Unauthorized, WRONG_CREDENTIALS);
    await this.limiter.signInSucceeded(email, meta.address);
    const session = await this.sessions.open(user.id, meta);
    await this.users.recordSignIn(user.id);
    const { passwordHash: _hash, ...view } = user;
    return { user: view as User, session };
  }
}
