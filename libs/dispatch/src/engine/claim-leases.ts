import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DispatchSignal } from '@clarion/broadcasts';
import type { Environment } from '@clarion/config';
import { RecipientClaims } from '../ledger/recipient-claims';

/**
 * How often a worker renews the claims it holds and looks for expired ones, for a lease: renewals
 * four times per lease (a claim survives three missed renewals, e.g. a MySQL connection cut), and
 * expired claims looked for twice per lease (an abandoned batch waits at most 1.5 leases).
 */
export function leaseTimings(leaseMs: number): { renewEveryMs: number; reclaimEveryMs: number } {
  return { renewEveryMs: Math.max(50, Math.floor(leaseMs / 4)), reclaimEveryMs: Math.max(100, Math.floor(leaseMs / 2)) };
}

/**
 * Claim leases in one worker, on plain timers (MySQL only: they go on while Redis is away).
 * - The keeper renews the claims this worker still holds (`hold` … `drop` around each batch), so a
 *   slow but live batch never expires and is never sent twice.
 * - The reclaimer hands back claims nobody renewed for a lease (`DISPATCH_CLAIM_LEASE_MS`): a dead
 *   worker's, or a batch a live worker lost to a failure. Every worker runs it; FOR UPDATE keeps
 *   two from settling the same rows. After this process lost MySQL it waits a full lease before
 *   reclaiming again: the holders lost MySQL too and renew their claims as soon as it is back.
 */
@Injectable()
export class ClaimLeases implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ClaimLeases.name);
  private readonly held = new Set<string>();
  private readonly leaseMs: number;
  private timers: NodeJS.Timeout[] = [];
  private renewing = false;
  private reclaiming = false;
  /** When a renewal or a reclaim last failed (MySQL unreachable), in ms. */
  private failedAt = 0;

  constructor(
    private readonly claims: RecipientClaims,
    private readonly signal: DispatchSignal,
    config: ConfigService<Environment, true>,
  ) {
    this.leaseMs = config.get('DISPATCH_CLAIM_LEASE_MS', { infer: true });
  }

  onApplicationBootstrap(): void {
    const { renewEveryMs, reclaimEveryMs } = leaseTimings(this.leaseMs);
    this.timers.push(setInterval(() => void this.renew(), renewEveryMs));
    this.timers.push(setInterval(() => void this.reclaim(), reclaimEveryMs));
  }

  onApplicationShutdown(): void {
    this.timers.forEach(clearInterval);
    this.timers = [];
  }

  /** This worker holds the claim `token` from now until `drop`: its lease is renewed. */
  hold(token: string): void {
    this.held.add(token);
  }

  /** The claim is written (or given up): no more renewals; what it still holds expires after a lease. */
  drop(token: string): void {
    this.held.delete(token);
  }

  get holding(): number {
    return this.held.size;
  }

  async renew(): Promise<void> {
    if (this.renewing || this.held.size === 0) return;
    this.renewing = true;
    try {
      await this.claims.renew([...this.held]);
    } catch (error) {
      this.failedAt = Date.now();
      this.logger.warn({ err: (error as Error).message, claims: this.held.size }, 'claim leases not renewed; retrying');
    } finally {
      this.renewing = false;
    }
  }

  async reclaim(): Promise<void> {
    if (this.reclaiming || Date.now() - this.failedAt < this.leaseMs) return;
    this.reclaiming = true;
    try {
      const recovered = await this.claims.reclaimExpired(this.leaseMs);
      for (const [broadcastId, recipients] of recovered) {
        this.logger.warn({ broadcastId, recipients }, 'expired claims handed back');
        await this.signal.nudge(broadcastId).catch(() => undefined);
      }
    } catch (error) {
      this.failedAt = Date.now();
      this.logger.warn({ err: (error as Error).message }, 'expired claims not reclaimed; retrying');
    } finally {
      this.reclaiming = false;
    }
  }
}
