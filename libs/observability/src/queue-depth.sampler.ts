import { getQueueToken } from '@nestjs/bull';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Queue } from 'bull';
import { QueueName } from '@clarion/queue';
import { metrics } from './metrics';

/** How often queue depth is read: a gauge for dashboards, not an alarm with a tight deadline. */
export const QUEUE_DEPTH_SAMPLE_MS = 5_000;

/**
 * Samples `clarion_queue_waiting_jobs{queue}` every few seconds for the bull queues this process
 * has registered (the API: those it produces to; a worker: all it consumes). Every process of an
 * install reports the same Redis figures, so a dashboard takes the max across them.
 */
@Injectable()
export class QueueDepthSampler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(QueueDepthSampler.name);
  private timer?: NodeJS.Timeout;
  private sampling = false;

  constructor(private readonly moduleRef: ModuleRef) {}

  onApplicationBootstrap(): void {
    void this.sample();
    this.timer = setInterval(() => void this.sample(), QUEUE_DEPTH_SAMPLE_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** One reading of every registered queue; skipped while the previous one still waits on Redis. */
  async sample(): Promise<void> {
    if (this.sampling) return;
    this.sampling = true;
    try {
      for (const [name, queue] of this.queues()) {
        try {
          metrics.queueDepth.set({ queue: name }, await queue.getWaitingCount());
        } catch (error) {
          this.logger.debug(`queue ${name}: depth not sampled (${(error as Error).message})`);
        }
      }
    } finally {
      this.sampling = false;
    }
  }

  private queues(): Array<[string, Queue]> {
    const found: Array<[string, Queue]> = [];
    for (const name of Object.values(QueueName)) {
      try {
        found.push([name, this.moduleRef.get<Queue>(getQueueToken(name), { strict: false })]);
      } catch {
        // not registered in this process
      }
    }
    return found;
  }
}
