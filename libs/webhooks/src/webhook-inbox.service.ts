import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { WebhookEventsRepository } from './webhook-events.repository';
import { WebhookNudger } from './webhook-nudge';

interface Waiting {
  row: { receivedAt: Date; sha256: Buffer; body: Buffer };
  resolve: () => void;
  reject: (error: Error) => void;
}

/** How long a body waits for companions before its batch is written. */
const WINDOW_MS = 2;
const MAX_ROWS = 500;
/**
 * INSERTs in flight at once. Each commit costs a log flush; while these are busy, new bodies
 * gather into the next batch, so batches grow with load instead of queueing commits.
 */
const MAX_IN_FLIGHT = 2;
/** Bodies travel hex-escaped: stay well under MySQL's default 16 MB max_allowed_packet. */
const MAX_BATCH_BYTES = 4 * 1024 * 1024;

/**
 * Stores verified webhook bodies durably before they are acknowledged. Concurrent requests
 * are micro-batched into one multi-row INSERT (a 2 ms window, or sooner when the batch is
 * full; at most two INSERTs in flight, the next batch growing meanwhile) and all resolve when
 * it commits: at thousands of deliveries a second this is one commit per batch instead of one
 * per request.
 */
@Injectable()
export class WebhookInbox implements OnApplicationShutdown {
  private readonly logger = new Logger(WebhookInbox.name);
  private pending: Waiting[] = [];
  private pendingBytes = 0;
  private timer?: NodeJS.Timeout;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly repository: WebhookEventsRepository,
    private readonly nudger: WebhookNudger,
  ) {}

  /** Resolves once the body is committed to MySQL; rejects if it could not be stored. */
  store(body: Buffer): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const row = { receivedAt: new Date(), sha256: createHash('sha256').update(body).digest(), body };
      this.pending.push({ row, resolve, reject });
      this.pendingBytes += body.length;
      if (this.pending.length >= MAX_ROWS || this.pendingBytes >= MAX_BATCH_BYTES) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), WINDOW_MS);
    });
  }

  private flush(force = false): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    // Busy: this batch keeps growing and goes as soon as an INSERT finishes.
    if (this.inFlight.size >= MAX_IN_FLIGHT && !force) return;
    let take = 0;
    let bytes = 0;
    while (take < this.pending.length && take < MAX_ROWS && (take === 0 || bytes + this.pending[take].row.body.length <= MAX_BATCH_BYTES)) {
      bytes += this.pending[take++].row.body.length;
    }
    const batch = this.pending.splice(0, take);
    this.pendingBytes -= bytes;
    if (batch.length === 0) return;
    const write = this.repository
      .insertMany(batch.map((w) => w.row))
      .then(() => {
        for (const w of batch) w.resolve();
        this.nudger.nudge();
      })
      .catch((error: Error) => {
        this.logger.error(`could not store ${batch.length} webhook bodies: ${error.message}`);
        for (const w of batch) w.reject(error);
      });
    this.inFlight.add(write);
    void write.finally(() => {
      this.inFlight.delete(write);
      if (this.pending.length > 0) this.flush();
    });
  }

  async onApplicationShutdown(): Promise<void> {
    while (this.pending.length > 0) this.flush(true);
    await Promise.allSettled([...this.inFlight]);
    this.nudger.stop();
  }
}
