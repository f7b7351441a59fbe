import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import Redis from 'ioredis';
import { BroadcastsRepository, DispatchSignal, LaunchJobs, RecipientsRepository } from '@clarion/broadcasts';
import type { Environment } from '@clarion/config';
import { REDIS, RedisKeys } from '@clarion/queue';
import { RecipientClaims } from '../ledger/recipient-claims';

const TICK_MS = 1_000;
const SLOW_EVERY = 5;
const SCHEDULE_AHEAD_MS = 60_000;

/**
 * The recovery tick, fired by one worker at a time (a Redis lock that expires before the next
 * tick): MySQL is the record of truth, so it rebuilds from it whatever Redis should hold.
 * Every second: `waiting_quota` broadcasts whose resume time came go back to running.
 * Every 5 s: launch jobs of due scheduled broadcasts and fan-out jobs of unfinished fan-outs are
 * re-created (deterministic job ids make it a no-op when they exist); recipients of a cancelled
 * broadcast that came back to pending end cancelled. Claims left by a dead or failed worker are
 * not its business: their lease runs out (ClaimLeases, MySQL only, so it works while Redis is away).
 */
@Injectable()
export class DispatchTick implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DispatchTick.name);
  private timer: NodeJS.Timeout | null = null;
  private count = 0;
  private busy = false;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly broadcasts: BroadcastsRepository,
    private readonly claims: RecipientClaims,
    private readonly recipients: RecipientsRepository,
    private readonly launches: LaunchJobs,
    private readonly signal: DispatchSignal,
    private readonly config: ConfigService<Environment, true>,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), TICK_MS);
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async tick(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const got = await this.redis.set(this.keys.key('dispatch', 'tick-lock'), '1', 'PX', TICK_MS - 100, 'NX');
      if (got !== 'OK') return;
      this.count++;
      if ((await this.broadcasts.resumeQuotaWaiters()) > 0) await this.signal.nudge(0);
      if (this.count % SLOW_EVERY === 1) await this.recover();
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, 'dispatch tick failed');
    } finally {
      this.busy = false;
    }
  }

  private async recover(): Promise<void> {
    for (const b of await this.broadcasts.listScheduledDue(SCHEDULE_AHEAD_MS)) await this.launches.scheduleLaunch(b);
    for (const id of await this.broadcasts.listUnfinishedFanOut()) await this.launches.scheduleFanOut(id);
    for (const id of await this.broadcasts.listCancelledWithPending()) {
      const n = await this.recipients.cancelUnsent(id);
      if (n > 0) this.logger.log({ broadcastId: id, recipients: n }, 'recipients handed back after a cancel ended cancelled');
    }
  }
}
