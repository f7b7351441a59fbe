import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { BroadcastsRepository, DispatchSignal, SendersLookup } from '@clarion/broadcasts';
import type { Environment } from '@clarion/config';
import { REDIS, RedisKeys } from '@clarion/queue';
import { SendersService } from '@clarion/senders';
import { WhatsAppClients } from '@clarion/whatsapp';
import { ClaimScreen } from '../ledger/claim-screen';
import { RecipientClaims } from '../ledger/recipient-claims';
import { MessagingQuota } from '../quota/messaging-quota';
import { ThroughputLimiter } from '../throttling/throughput-limiter';
import { BatchSender } from './batch-sender';
import { ClaimLeases } from './claim-leases';
import { ProgressMeter } from './progress-meter';
import { RedisGate } from './redis-gate';
import { LoopBroadcast, SenderLoop } from './sender-loop';

const DISCOVERY_MS = 300;

/**
 * The worker's dispatch: one SenderLoop per sender with running broadcasts. Running broadcasts
 * are discovered from MySQL every 300 ms (the record of truth: nothing is lost if Redis was
 * flushed) and at once on a nudge (Redis pub/sub). Every worker process runs loops for every
 * sender; the shared Redis limiter keeps the sender's cap, claims keep recipients apart.
 * Claims are leases (ClaimLeases): a worker that dies simply stops renewing its own.
 */
@Injectable()
export class DispatchEngine implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DispatchEngine.name);
  readonly workerId = `${hostname()}:${process.pid}:${randomBytes(2).toString('hex')}`;
  private readonly loops = new Map<number, SenderLoop>();
  private subscriber: Redis | null = null;
  private timers: NodeJS.Timeout[] = [];
  private discovering: Promise<void> | null = null;
  private stopped = false;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly broadcasts: BroadcastsRepository,
    private readonly senders: SendersLookup,
    private readonly sendersService: SendersService,
    private readonly claims: RecipientClaims,
    private readonly quota: MessagingQuota,
    private readonly limiter: ThroughputLimiter,
    private readonly batchSender: BatchSender,
    private readonly clients: WhatsAppClients,
    private readonly progress: ProgressMeter,
    private readonly signal: DispatchSignal,
    private readonly config: ConfigService<Environment, true>,
    private readonly screen: ClaimScreen,
    private readonly leases: ClaimLeases,
    private readonly gate: RedisGate,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.subscriber = this.redis.duplicate();
    this.subscriber.on('message', (_channel: string, message: string) => this.onNudge(Number(message)));
    await this.subscriber.subscribe(this.signal.channel);
    this.timers.push(setInterval(() => void this.discover(), DISCOVERY_MS));
    void this.discover();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.timers.forEach(clearInterval);
    await Promise.all([...this.loops.values()].map((l) => l.stop()));
    await this.subscriber?.quit().catch(() => undefined);
  }

  private onNudge(broadcastId: number): void {
    for (const loop of this.loops.values()) loop.wake(Number.isFinite(broadcastId) ? broadcastId : undefined);
    void this.discover();
  }

  /** Re-reads running broadcasts and (re)starts a loop per sender that has some. */
  discover(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (!this.discovering) {
      this.discovering = this.discoverNow()
        .catch((error: Error) => this.logger.warn({ err: error.message }, 'dispatch discovery failed'))
        .finally(() => (this.discovering = null));
    }
    return this.discovering;
  }

  private async discoverNow(): Promise<void> {
    const running = await this.broadcasts.listRunning();
    const bySender = new Map<number, LoopBroadcast[]>();
    for (const b of running) {
      const list = bySender.get(b.senderId) ?? [];
      list.push({ id: b.id, kind: b.kind });
      bySender.set(b.senderId, list);
    }
    for (const [senderId, loop] of this.loops) if (!bySender.has(senderId)) loop.setBroadcasts([]);
    for (const [senderId, list] of bySender) {
      let loop = this.loops.get(senderId);
      if (!loop) {
        loop = new SenderLoop(senderId, {
          workerId: this.workerId,
          broadcasts: this.broadcasts,
          senders: this.senders,
          sendersService: this.sendersService,
          claims: this.claims,
          screen: this.screen,
          quota: this.quota,
          limiter: this.limiter,
          batchSender: this.batchSender,
          clients: this.clients,
          progress: this.progress,
          retry: {
            maxAttempts: this.config.get('DISPATCH_MAX_ATTEMPTS', { infer: true }),
            baseDelayMs: this.config.get('DISPATCH_RETRY_BASE_MS', { infer: true }),
            pairRateDelayMs: this.config.get('DISPATCH_PAIR_RATE_DELAY_MS', { infer: true }),
          },
          leases: this.leases,
          gate: this.gate,
          onFinished: () => undefined,
        });
        this.loops.set(senderId, loop);
      }
      loop.setBroadcasts(list);
      if (!this.stopped) loop.start();
    }
  }
}
