import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { readdir, stat, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DataSource } from 'typeorm';
import type { Environment } from '@clarion/config';

export const UPLOAD_MAX_AGE_MS = 24 * 3_600_000;

/**
 * Deletes uploads left in UPLOAD_DIR (a process killed mid-upload or mid-import, a refusal
 * whose clean-up failed) once they are older than `maxAgeMs`, except a file an import still
 * queued or running will read.
 */
@Injectable()
export class UploadSweep {
  private readonly logger = new Logger(UploadSweep.name);
  private readonly dir: string;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    config: ConfigService<Environment, true>,
  ) {
    this.dir = resolve(config.get('UPLOAD_DIR', { infer: true }));
  }

  /** Returns how many files were deleted. */
  async sweep(maxAgeMs = UPLOAD_MAX_AGE_MS, now = Date.now()): Promise<number> {
    const names = await readdir(this.dir).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [] as string[];
      throw error;
    });
    const old: string[] = [];
    for (const name of names) {
      const path = join(this.dir, name);
      const info = await stat(path).catch(() => null);
      if (info?.isFile() && now - info.mtimeMs > maxAgeMs) old.push(path);
    }
    if (old.length === 0) return 0;
    // Every pending import, not `file_path IN (<each old file>)`: no index serves either, and
    // this needs no placeholder per file however many have piled up.
    const pending: Array<{ path: string }> = await this.db.query(
      "SELECT file_path AS path FROM imports WHERE status IN ('queued', 'running')",
    );
    const keep = new Set(pending.map((p) => resolve(p.path)));
    let removed = 0;
    for (const path of old) {
      if (keep.has(path)) continue;
      const deleted = await unlink(path).then(
        () => true,
        () => false,
      );
      if (deleted) removed++;
    }
    if (removed) this.logger.log({ removed }, 'old uploads deleted');
    return removed;
  }
}
