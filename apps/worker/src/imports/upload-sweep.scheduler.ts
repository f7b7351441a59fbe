import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { UploadSweep } from '@clarion/contacts';
import { JobLock } from '@clarion/queue';

const SWEEP_EVERY_MS = 3_600_000;

/** Once an hour, on one worker (a Redis lock), deletes uploads older than a day that no import will read. */
@Injectable()
export class UploadSweepScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger(UploadSweepScheduler.name);

  constructor(
    private readonly registry: SchedulerRegistry,
    private readonly uploads: UploadSweep,
    private readonly lock: JobLock,
  ) {}

  onApplicationBootstrap(): void {
    this.registry.addInterval(
      'upload-sweep',
      setInterval(() => void this.tick(), SWEEP_EVERY_MS),
    );
  }

  /** Returns how many files were deleted, or undefined when another worker holds the sweep. */
  async tick(): Promise<number | undefined> {
    try {
      return await this.lock.runExclusive('upload-sweep', 10 * 60_000, () => this.uploads.sweep());
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, 'upload sweep failed; the next hour retries');
      return undefined;
    }
  }
}
