import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import type { JobOptions, Queue } from 'bull';
import { QueueName } from '@clarion/queue';

/** The payload of an import job: the import row holds everything else. */
export interface ImportJob {
  importId: number;
}

/**
 * Five attempts with backoff: a transient failure (database restart) resumes from the last
 * checkpoint. The job id is the import's, so enqueuing an import twice is a no-op.
 */
export const IMPORT_JOB_OPTIONS: JobOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 2_000 },
  removeOnComplete: true,
  removeOnFail: 1_000,
};

export const importJobId = (importId: number) => `import-${importId}`;

/** Producer side of the imports queue (the worker app provides the consumer). */
@Injectable()
export class ImportQueue {
  constructor(@InjectQueue(QueueName.Imports) private readonly queue: Queue<ImportJob>) {}

  async enqueue(importId: number): Promise<void> {
    await this.queue.add({ importId }, { ...IMPORT_JOB_OPTIONS, jobId: importJobId(importId) });
  }
}
