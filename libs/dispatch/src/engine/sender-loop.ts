import { Logger } from '@nestjs/common';
import { BroadcastsRepository, DEFAULT_ERROR_POLICY, ErrorPolicy, SenderSummary, SendersLookup } from '@clarion/broadcasts';
import { metrics } from '@clarion/observability';
import type { SendersService } from '@clarion/senders';
import { WhatsAppClients } from '@clarion/whatsapp';
import type { ClaimScreen } from '../ledger/claim-screen';
import { BatchOutcome, Claim, RecipientClaims } from '../ledger/recipient-claims';
import { MessagingQuota, QuotaScope } from '../quota/messaging-quota';
import { ThroughputLimiter } from '../throttling/throughput-limiter';
import { BatchSender } from './batch-sender';
import type { ClaimLeases } from './claim-leases';
import { breachesErrorPolicy, errorPolicyReason } from './error-policy';
import { ProgressMeter } from './progress-meter';
import type { RedisGate } from './redis-gate';
import { decide, RetrySettings } from './retry-policy';

/** A running broadcast as the loop sees it. */
export interface LoopBroadcast {
  id: number;
  kind: string;
}

export interface SenderLoopDeps {
  workerId: string;
  broadcasts: BroadcastsRepository;
  senders: SendersLookup;
  sendersService: SendersService;
  claims: RecipientClaims;
  /** Frequency cap and quiet hours, applied to each claimed batch before it is sent. */
  screen: ClaimScreen;
  quota: MessagingQuota;
  limiter: ThroughputLimiter;
  batchSender: BatchSender;
  clients: WhatsAppClients;
  progress: ProgressMeter;
  retry: RetrySettings;
  /** Renews the claims this loop holds while it holds them. */
  leases: Pick<ClaimLeases, 'hold' | 'drop'>;
  /** Closed while Redis does not answer: nothing is claimed then. */
  gate: Pick<RedisGate, 'open' | 'failed'>;
  onFinished: (broadcastId: number) => void;
}

const IDLE_MS = 250;
/**
 * Batches in flight per sender per worker. Two keep the sender busy while a batch is being
 * written; the duplicate window after a crash is these batches (see docs/dispatch.md).
 */
export const LANES = 2;
/** Sender and broadcast settings are re-read at most this often: an edit takes effect within it. */
const SETTINGS_CACHE_MS = 1_000;

interface BroadcastSettings {
  name: string;
  language: string;
  errorPolicy: ErrorPolicy | null;
}

/**
 * Number of recipients claimed per batch: a quarter second of the cap (so one worker can keep
 * the cap busy even with slow answers), bounded to keep the duplicate window (one batch per
 * worker per sender) small.
 */
export function batchSizeFor(capMps: number): number {
  return Math.max(5, Math.min(500, Math.ceil(capMps / 4)));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * One sender's send loop in one worker: round-robin over the sender's running broadcasts, one
 * batch in flight at a time. Per batch: re-read the broadcast's status, claim, admit under the
 * messaging limit, send under the shared throughput limiter, record the outcome and counters in
 * one transaction, then apply the error policy.
 */
export class SenderLoop {
  private readonly logger = new Logger(SenderLoop.name);
  private list: LoopBroadcast[] = [];
  private next = 0;
  private readonly idleUntil = new Map<number, number>();
  private sender: { value: SenderSummary; at: number } | null = null;
  private readonly wakeUps = new Set<() => void>();
  private readonly templates = new Map<number, { value: BroadcastSettings; at: number }>();
  private stopping = false;
  running: Promise<void> | null = null;

  constructor(
    readonly senderId: number,
    private readonly deps: SenderLoopDeps,
  ) {}

  setBroadcasts(list: LoopBroadcast[]): void {
    this.list = list;
    const listed = new Set(list.map((b) => b.id));
    for (const id of this.templates.keys()) if (!listed.has(id)) this.templates.delete(id);
  }

  get hasWork(): boolean {
    return this.list.length > 0;
  }

  /** New recipients or a state change: stop idling now. */
  wake(broadcastId?: number): void {
    if (broadcastId === undefined) this.idleUntil.clear();
    else this.idleUntil.delete(broadcastId);
    for (const w of [...this.wakeUps]) w();
  }

  start(): void {
    if (this.running) return;
    this.running = this.run().finally(() => (this.running = null));
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake();
    await this.running;
  }

  /** Lanes: each claims, sends and records its own batch, so one's database writes overlap the other's sends. */
  private async run(): Promise<void> {
    await Promise.all(Array.from({ length: LANES }, () => this.lane()));
  }

  private async lane(): Promise<void> {
    while (!this.stopping && this.list.length > 0) {
      try {
        const worked = await this.step();
        if (!worked) await this.idle();
      } catch (error) {
        this.deps.gate.failed();
        this.logger.error({ senderId: this.senderId, err: (error as Error).message }, 'dispatch step failed; retrying shortly');
        await sleep(1_000);
      }
    }
  }

  private idle(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeUps.delete(done);
        resolve();
      };
      const timer = setTimeout(done, IDLE_MS);
      this.wakeUps.add(done);
    });
  }

  private async currentSender(): Promise<SenderSummary | null> {
    if (this.sender && Date.now() - this.sender.at < SETTINGS_CACHE_MS) return this.sender.value;
    const value = await this.deps.senders.find(this.senderId);
    this.sender = value ? { value, at: Date.now() } : null;
    return value;
  }

  private pick(): LoopBroadcast | null {
    const now = Date.now();
    for (let i = 0; i < this.list.length; i++) {
      const b = this.list[(this.next + i) % this.list.length];
      if ((this.idleUntil.get(b.id) ?? 0) <= now) {
        this.next = (this.next + i + 1) % this.list.length;
        return b;
      }
    }
    return null;
  }

  /** One batch; false when there was nothing to do. */
  private async step(): Promise<boolean> {
    const sender = await this.currentSender();
    if (!sender || sender.status !== 'active') {
      const reason = sender
        ? `sender ${this.senderId} is ${sender.status}${sender.statusReason ? `: ${sender.statusReason}` : ''}`
        : `sender ${this.senderId} no longer exists`;
      await this.deps.broadcasts.pauseAllOfSender(this.senderId, reason);
      this.list = [];
      return false;
    }
    const b = this.pick();
    if (!b) return false;
    const status = (await this.deps.broadcasts.statuses([b.id])).get(b.id);
    if (status !== 'running') {
      this.list = this.list.filter((x) => x.id !== b.id);
      return true;
    }
    // A batch claimed while the limiter and the quota cannot be reached would only sit claimed.
    if (!(await this.deps.gate.open())) return false;
    const claimed = await this.deps.claims.claim(b.id, this.deps.workerId, batchSizeFor(sender.throughputMps));
    this.deps.leases.hold(claimed.token);
    try {
      return await this.sendClaimed(b, sender, claimed);
    } finally {
      this.deps.leases.drop(claimed.token);
    }
  }

  /** Screens, sends and records a claimed batch (or completes the broadcast when nothing was left to claim). */
  private async sendClaimed(b: LoopBroadcast, sender: SenderSummary, claimed: Claim): Promise<boolean> {
    const claim = await this.deps.screen.screen(claimed).catch(async (error: unknown) => {
      await this.deps.claims.release(claimed.token).catch(() => undefined);
      throw error;
    });
    // Rows skipped at claim time (opted out) or by the screen were work done: look again at once.
    if ((claimed.recipients.length > 0 || (claimed.optedOut ?? 0) > 0) && claim.recipients.length === 0) return true;
    if (claim.recipients.length === 0) {
      if (b.kind === 'broadcast' && (await this.deps.broadcasts.completeIfDrained(b.id))) {
        this.logger.log({ broadcastId: b.id }, 'broadcast completed');
        this.list = this.list.filter((x) => x.id !== b.id);
        this.deps.onFinished(b.id);
      } else {
        this.idleUntil.set(b.id, Date.now() + IDLE_MS);
      }
      return true;
    }
    const progress = { sent: false };
    try {
      await this.sendClaim(b, sender, claim, progress);
    } catch (error) {
      // Recipients whose messages left stay claimed (never resent by this live worker; a restart's
      // recovery decides); those never sent go straight back to pending.
      if (!progress.sent) await this.deps.claims.release(claim.token).catch(() => undefined);
      throw error;
    }
    return true;
  }

  private async sendClaim(b: LoopBroadcast, sender: SenderSummary, claim: Claim, progress: { sent: boolean }): Promise<void> {
    const outcome: BatchOutcome = { accepted: [], retries: [], refused: [], released: [] };
    const scope: QuotaScope = { senderId: sender.id, portfolio: sender.portfolio, limit: sender.messagingLimit };
    const admitted = await this.deps.quota.admit(
      scope,
      claim.recipients.map((r) => r.phone),
    );
    const toSend = claim.recipients.filter((_, i) => admitted[i]);
    const denied = claim.recipients.filter((_, i) => !admitted[i]);
    outcome.released.push(...denied.map((r) => r.id));
    const broadcast = await this.templateOf(b.id);
    const credentials = await this.deps.sendersService.getCredentials(sender.id);
    progress.sent = true;
    const result = await this.deps.quota.settleAfter(
      scope,
      toSend.map((r) => r.phone),
      () =>
        this.deps.batchSender.send({
          broadcastId: b.id,
          senderId: sender.id,
          capMps: sender.throughputMps,
          template: { name: broadcast.name, language: broadcast.language },
          credentials,
          client: this.deps.clients.for(credentials),
          recipients: toSend,
          stillWanted: async () => !this.stopping && (await this.deps.broadcasts.statuses([b.id])).get(b.id) === 'running',
          optedOut: (contactIds) => this.deps.claims.optedOutAmong(contactIds),
        }),
    );
    outcome.released.push(...result.unsent.map((r) => r.id));

    let throughputHit = false;
    let stop: { reason: 'auth' | 'spam'; detail: string } | null = null;
    for (const { recipient, outcome: o } of result.sent) {
      if (o.ok) {
        outcome.accepted.push({ id: recipient.id, wamid: o.wamid });
        continue;
      }
      const e = o.error;
      metrics.sendErrors.inc({ sender: String(sender.id), class: e.errorClass });
      const d = decide(e, recipient.attempts, this.deps.retry);
      const title = e.title || e.message;
      if (d.kind === 'fail')
        outcome.refused.push({ id: recipient.id, code: e.code, title, detail: e.details ?? e.message ?? null, outcome: 'failed' });
      else if (d.kind === 'retry')
        outcome.retries.push({ id: recipient.id, delayMs: d.delayMs, countsAsAttempt: d.countsAsAttempt, code: e.code, title });
      else {
        outcome.retries.push({ id: recipient.id, delayMs: 0, countsAsAttempt: false, code: e.code, title });
        stop = { reason: d.reason, detail: `${e.code} ${title}` };
      }
      if (e.code === 130429 || e.errorClass === 'throughput') throughputHit = true;
    }
    await this.deps.claims.record(claim, outcome);
    metrics.messagesSent.inc({ sender: String(sender.id) }, outcome.accepted.length);
    // What was sent is written and the rest handed back; now the step fails (and the gate closes).
    if (result.failure) throw result.failure;
    await this.deps.progress.record(b.id, outcome.accepted.length);

    if (denied.length > 0) await this.waitForQuota(b.id, scope);
    if (throughputHit) {
      const rate = await this.deps.limiter.slowDown(sender.id, sender.throughputMps);
      this.logger.warn({ senderId: sender.id, rate }, 'throughput limit hit (130429): sender slowed down');
    }
    if (stop) await this.stopSender(sender, stop);
    // Every batch, not only those with refusals: failures reported later by webhook count too.
    else if (outcome.accepted.length || outcome.refused.length) await this.applyErrorPolicy(b.id, broadcast.errorPolicy);
  }

  /** Set after the admitted part of the batch is sent and settled, so the wait is counted from those sends. */
  private async waitForQuota(broadcastId: number, scope: QuotaScope): Promise<void> {
    const usage = await this.deps.quota.usage(scope);
    const resumeAt = usage.nextFreeAt && usage.nextFreeAt.getTime() > Date.now() ? usage.nextFreeAt : new Date(Date.now() + 1_000);
    await this.deps.broadcasts.waitForQuota(
      broadcastId,
      resumeAt,
      `messaging limit reached: ${scope.limit} unique recipients per ${usage.windowSeconds} s; next slot frees at ${resumeAt.toISOString()}`,
    );
    this.logger.log({ broadcastId, resumeAt }, 'broadcast waiting for messaging quota');
  }

  /** A running broadcast's template and error policy; a sequence step's may be edited while it runs, so re-read like the sender's. */
  private async templateOf(broadcastId: number): Promise<BroadcastSettings> {
    const cached = this.templates.get(broadcastId);
    if (cached && Date.now() - cached.at < SETTINGS_CACHE_MS) return cached.value;
    const b = await this.deps.broadcasts.getById(broadcastId);
    const value = { name: b.templateName, language: b.templateLanguage, errorPolicy: b.errorPolicy };
    this.templates.set(broadcastId, { value, at: Date.now() });
    return value;
  }

  private async stopSender(sender: SenderSummary, stop: { reason: 'auth' | 'spam'; detail: string }): Promise<void> {
    const reason =
      stop.reason === 'auth'
        ? `sender ${sender.id} credentials were refused by WhatsApp (${stop.detail}); fix the access token, then resume`
        : `WhatsApp's spam rate limit hit on sender ${sender.id} (${stop.detail}); resume when the sender's quality recovers`;
    if (stop.reason === 'auth') await this.deps.sendersService.markBroken(sender.id, reason).catch(() => undefined);
    else await this.deps.sendersService.pause(sender.id, reason).catch(() => undefined);
    const paused = await this.deps.broadcasts.pauseAllOfSender(sender.id, reason);
    this.sender = null;
    this.list = [];
    this.logger.warn({ senderId: sender.id, broadcasts: paused }, reason);
  }

  private async applyErrorPolicy(broadcastId: number, policy: ErrorPolicy | null): Promise<void> {
    const p = policy ?? DEFAULT_ERROR_POLICY;
    const figures = await this.deps.broadcasts.errorPolicyFigures(broadcastId);
    if (!figures || !breachesErrorPolicy(figures, p)) return;
    const reason = errorPolicyReason(figures, p, await this.deps.broadcasts.topFailureCodes(broadcastId));
    if (await this.deps.broadcasts.transition(broadcastId, ['running'], 'paused', reason)) this.logger.warn({ broadcastId }, reason);
  }
}
