import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectThrottlerStorage } from '@nestjs/throttler';
import { createHash } from 'node:crypto';
import { DomainError } from '@clarion/common';
import type { Environment } from '@clarion/config';
import { normalizeEmail } from '../email';
import { RedisThrottlerStorage } from './redis-throttler-storage';

/** One counter of failures: what is counted, for whom, and how many the window allows. */
interface Counter {
  name: 'sign-in-email' | 'sign-in-address' | 'auth-failure-address';
  subject: string;
  limit: number;
}

const TOO_MANY_SIGN_INS = 'too many failed sign-ins: wait before trying again';
const TOO_MANY_FAILURES = 'too many failed authentications from this address: wait before trying again';

/**
 * Counts failures (wrong passwords, unknown tokens and cookies) per email and per client address
 * in Redis, so the limits hold across API processes. Successful sign-ins are not counted. When
 * Redis does not answer, requests go through (logged): sign-in must not depend on a limiter.
 */
@Injectable()
export class FailureLimiter {
  private readonly logger = new Logger(FailureLimiter.name);
  private readonly windowMs: number;

  constructor(
    @InjectThrottlerStorage() private readonly storage: RedisThrottlerStorage,
    private readonly config: ConfigService<Environment, true>,
  ) {
    this.windowMs = config.get('RATE_LIMIT_FAILURE_WINDOW_SECONDS', { infer: true }) * 1000;
  }

  /**
   * Counts a sign-in attempt as a failure before its password is checked, and refuses it (429)
   * when that crosses the email's or the address's limit. Counting first means a burst of
   * parallel guesses cannot all slip past the check; `signInSucceeded` takes the count back.
   */
  async beginSignIn(email: string, address: string | undefined): Promise<void> {
    await this.record(this.signInCounters(email, address), TOO_MANY_SIGN_INS);
  }

  /** The attempt begun with `beginSignIn` was right: it no longer counts as a failure. */
  async signInSucceeded(email: string, address: string | undefined): Promise<void> {
    await this.tolerant(() => Promise.all(this.signInCounters(email, address).map((c) => this.storage.decrement(keyOf(c), c.name))));
  }

  /** Counts an unknown token or session from this address; past the limit it answers 429. */
  async recordFailedAuthentication(address: string | undefined): Promise<void> {
    const limit = this.config.get('RATE_LIMIT_AUTH_FAILURES_PER_ADDRESS', { infer: true });
    await this.record([{ name: 'auth-failure-address', subject: address ?? 'unknown', limit }], TOO_MANY_FAILURES);
  }

  private signInCounters(email: string, address: string | undefined): Counter[] {
    return [
      { name: 'sign-in-email', subject: normalizeEmail(email), limit: this.config.get('RATE_LIMIT_SIGN_IN_PER_EMAIL', { infer: true }) },
      { name: 'sign-in-address', subject: address ?? 'unknown', limit: this.config.get('RATE_LIMIT_SIGN_IN_PER_ADDRESS', { infer: true }) },
    ];
  }

  private async record(counters: Counter[], message: string): Promise<void> {
    const records = await this.tolerant(() =>
      Promise.all(counters.map((c) => this.storage.increment(keyOf(c), this.windowMs, c.limit, this.windowMs, c.name))),
    );
    const blocked = (records ?? []).filter((r) => r.isBlocked);
    if (blocked.length > 0) throw DomainError.rateLimited(message, Math.max(...blocked.map((r) => r.timeToBlockExpire)));
  }

  private async tolerant<T>(call: () => Promise<T>): Promise<T | undefined> {
    try {
      return await call();
    } catch (error) {
      this.logger.warn(`rate limit not counted, Redis did not answer: ${(error as Error).message}`);
      return undefined;
    }
  }
}

/** Emails and addresses are hashed: Redis keys carry no personal data. */
function keyOf(counter: Counter): string {
  return createHash('sha256').update(counter.subject).digest('hex').slice(0, 32);
}
