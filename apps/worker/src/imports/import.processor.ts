import { OnQueueFailed, Process, Processor } from '@nestjs/bull';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Job } from 'bull';
import { unlink } from 'node:fs/promises';
import { DataSource } from 'typeorm';
import { ImportJob, ImportQueue, ImportRunner } from '@clarion/contacts';
import { importCompletedEvent, withOutbox } from '@clarion/outbound-webhooks';
import { QueueName } from '@clarion/queue';

/** Consumes the imports queue, one import at a time per worker, delegating to ImportRunner. */
@Processor(QueueName.Imports)
@Injectable()
export class ImportProcessor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ImportProcessor.name);
  private readonly shutdown = new AbortController();

  constructor(
    private readonly runner: ImportRunner,
    private readonly queue: ImportQueue,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  @Process()
  async handle(job: Job<ImportJob>): Promise<string> {
    const outcome = await this.runner.run(job.data.importId, this.shutdown.signal);
    // a stopped run throws so bull retries it: the next run resumes from the checkpoint
    if (outcome === 'stopped') throw new Error(`import ${job.data.importId} stopped by shutdown; it resumes from its checkpoint`);
    return outcome;
  }

  /**
   * When bull gives up (attempts used, or the job stalled too often after worker crashes), the
   * import says so instead of staying `running` forever. A failure bull will retry leaves the
   * job delayed, not failed.
   */
  @OnQueueFailed()
  async failed(job: Job<ImportJob>, error: Error): Promise<void> {
    this.logger.warn({ importId: job.data.importId, attempt: job.attemptsMade, error: error.message }, 'import attempt failed');
    if (!(await job.isFailed())) return;
    await withOutbox(
      this.db,
      (m) =>
        m.query(
          "UPDATE imports SET status = 'failed', failure_reason = ?, finished_at = CURRENT_TIMESTAMP(3) WHERE id = ? AND status IN ('queued', 'running')",
          [`the import stopped after ${job.attemptsMade} attempt(s): ${error.message}`.slice(0, 1000), job.data.importId],
        ),
      (r, m) => (Number(r.affectedRows) > 0 ? importCompletedEvent(m, job.data.importId) : []),
    );
    // no run will read it again: the upload goes with the import's last attempt
    const [row]: Array<{ filePath: string | null }> = await this.db.query(
      "SELECT file_path AS filePath FROM imports WHERE id = ? AND status = 'failed'",
      [job.data.importId],
    );
    if (row?.filePath) await unlink(row.filePath).catch(() => undefined);
  }

  /** Redis may have restarted empty: imports MySQL still calls unfinished are queued again (a no-op for jobs bull still has). */
  async onApplicationBootstrap(): Promise<void> {
    const pending: Array<{ id: number | string }> = await this.db.query("SELECT id FROM imports WHERE status IN ('queued', 'running')");
    for (const { id } of pending) await this.queue.enqueue(Number(id));
  }

  onApplicationShutdown(): void {
    this.shutdown.abort();
  }
}
