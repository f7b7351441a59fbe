import { Inject, Injectable } from '@nestjs/common';
import { REDIS } from '@clarion/queue';

/** What the gate needs of a Redis client: its connection state and a PING. */
export interface GatedRedis {
  status: string;
  ping(): Promise<unknown>;
}

/** How long a PING may take before Redis counts as not answering, and how often a closed gate asks again. */
const PROBE_TIMEOUT_MS = 1_000;
const PROBE_EVERY_MS = 250;

/**
 * Whether this worker may claim recipients: only while Redis answers. A batch claimed while the
 * limiter and the quota cannot be reached would only sit claimed; the send loops ask `open()`
 * before each claim. The gate closes when the client is not connected or a step failed
 * (`failed()`), and opens again once a PING answers.
 */
@Injectable()
export class RedisGate {
  private suspect = false;
  private probedAt = 0;
  private probing: Promise<boolean> | null = null;

  constructor(@Inject(REDIS) private readonly redis: GatedRedis) {}

  /** A dispatch step failed (maybe on Redis): claim nothing more until Redis answers a PING. */
  failed(): void {
    this.suspect = true;
  }

  async open(): Promise<boolean> {
    if (this.redis.status !== 'ready') {
      this.suspect = true;
      return false;
    }
    if (!this.suspect) return true;
    if (!this.probing) {
      if (Date.now() - this.probedAt < PROBE_EVERY_MS) return false;
      this.probedAt = Date.now();
      this.probing = this.probe().finally(() => (this.probing = null));
    }
    return this.probing;
  }

  private async probe(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), PROBE_TIMEOUT_MS)));
    const answered = await Promise.race([
      this.redis.ping().then(
        () => true,
        () => false,
      ),
      timeout,
    ]);
    clearTimeout(timer);
    if (answered) this.suspect = false;
    return answered;
  }
}
