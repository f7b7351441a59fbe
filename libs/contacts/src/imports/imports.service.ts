import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { unlink } from 'node:fs/promises';
import { DataSource } from 'typeorm';
import { clampLimit, decodeCursor, DomainError, Page, toPage } from '@clarion/common';
import type { ImportOptions, ImportStatus } from '../entities/contact-import.entity';
import { ListsService } from '../lists/lists.service';
import { ImportQueue } from './import-queue';
import { parseImportOptions } from './import-options';
import { previewSheet, SheetPreview } from './sheet-preview';

/** A file the API has streamed to UPLOAD_DIR, with the form's other fields. */
export interface ReceivedUpload {
  path: string;
  fileName: string | null;
  bytes: number;
  fields: Record<string, string>;
}

export interface ImportError {
  row: number;
  reason: string;
}

/** What `GET /v1/imports/:id` shows; counters move while the import runs. */
export interface ImportView {
  id: number;
  status: ImportStatus;
  fileName: string | null;
  fileBytes: number;
  mode: string;
  defaultCountry: string | null;
  listId: number | null;
  tags: string[];
  totalRows: number;
  processedRows: number;
  created: number;
  updated: number;
  duplicates: number;
  invalid: number;
  skipped: number;
  failureReason: string | null;
  errors: ImportError[];
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

/** How many rejected rows GET /v1/imports/:id shows; errors.csv has them all. */
export const IMPORT_VIEW_ERRORS = 100;

interface ImportRow {
  id: number | string;
  status: ImportStatus;
  file_name: string | null;
  file_bytes: number | string;
  options: string | ImportOptions;
  list_id: number | null;
  total_rows: number;
  processed_rows: number;
  created: number;
  updated: number;
  duplicates: number;
  invalid: number;
  skipped: number;
  failure_reason: string | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}

/** Starting imports and reading their progress and rejected rows. */
@Injectable()
export class ImportsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly queue: ImportQueue,
    private readonly lists: ListsService,
  ) {}

  /** Queues an uploaded sheet; on any refusal the upload is deleted before the error leaves. */
  async start(upload: ReceivedUpload): Promise<{ id: number; status: ImportStatus }> {
    let id: number;
    try {
      const options = parseImportOptions(upload.fields);
      const listId = options.list ? await this.lists.ensure(options.list) : null;
      const result = await this.db.query(
        "INSERT INTO imports (status, file_name, file_path, file_bytes, options, list_id) VALUES ('queued', ?, ?, ?, ?, ?)",
        [upload.fileName?.slice(0, 255) ?? null, upload.path, upload.bytes, JSON.stringify(options), listId],
      );
      id = Number(result.insertId);
    } catch (error) {
      await unlink(upload.path).catch(() => undefined);
      throw error;
    }
    await this.queue.enqueue(id);
    return { id, status: 'queued' };
  }

  /** The header, guessed mapping and first rows of an upload as its import would read them; the upload is deleted after. */
  async preview(upload: ReceivedUpload): Promise<SheetPreview> {
    try {
      const { sheet, mapping, defaultCountry } = parseImportOptions(upload.fields);
      return await previewSheet(upload.path, { sheet, mapping, defaultCountry });
    } finally {
      await unlink(upload.path).catch(() => undefined);
    }
  }

  async get(id: number): Promise<ImportView> {
    const rows: ImportRow[] = await this.db.query('SELECT * FROM imports WHERE id = ?', [id]);
    if (!rows[0]) throw DomainError.notFound('import', id);
    const errors: Array<{ row_no: number; reason: string }> = await this.db.query(
      'SELECT row_no, reason FROM import_errors WHERE import_id = ? ORDER BY row_no LIMIT ?',
      [id, IMPORT_VIEW_ERRORS],
    );
    return toView(
      rows[0],
      errors.map((e) => ({ row: e.row_no, reason: e.reason })),
    );
  }

  /** Newest first. */
  async list(limit?: number, cursor?: string): Promise<Page<ImportView>> {
    const take = clampLimit(limit);
    const after = decodeCursor<{ id: number }>(cursor);
    if (after && !Number.isSafeInteger(after.id))
      throw DomainError.validation('cursor is not valid: pass the nextCursor of a previous page');
    const rows: ImportRow[] = await this.db.query(
      `SELECT * FROM imports ${after ? 'WHERE id < ?' : ''} ORDER BY id DESC LIMIT ?`,
      after ? [after.id, take + 1] : [take + 1],
    );
    return toPage(
      rows.map((r) => toView(r, [])),
      take,
      (v) => ({ id: v.id }),
    );
  }

  /** Every rejected row in row order, in pages of 5,000 so a million errors stream in constant memory. */
  async *errorPages(id: number): AsyncGenerator<Array<{ row: number; reason: string; raw: string | null }>> {
    await this.exists(id);
    let after = 0;
    for (;;) {
      const page: Array<{ row_no: number; reason: string; raw: string | null }> = await this.db.query(
        'SELECT row_no, reason, raw FROM import_errors WHERE import_id = ? AND row_no > ? ORDER BY row_no LIMIT 5000',
        [id, after],
      );
      if (page.length) yield page.map((e) => ({ row: e.row_no, reason: e.reason, raw: e.raw }));
      if (page.length < 5000) return;
      after = page[page.length - 1].row_no;
    }
  }

  async exists(id: number): Promise<void> {
    const rows = await this.db.query('SELECT id FROM imports WHERE id = ?', [id]);
    if (!rows[0]) throw DomainError.notFound('import', id);
  }
}

function toView(r: ImportRow, errors: ImportError[]): ImportView {
  const options: ImportOptions = typeof r.options === 'string' ? JSON.parse(r.options) : r.options;
  return {
    id: Number(r.id),
    status: r.status,
    fileName: r.file_name,
    fileBytes: Number(r.file_bytes),
    mode: options.mode,
    defaultCountry: options.defaultCountry ?? null,
    listId: r.list_id === null ? null : Number(r.list_id),
    tags: options.tags ?? [],
    totalRows: r.total_rows,
    processedRows: r.processed_rows,
    created: r.created,
    updated: r.updated,
    duplicates: r.duplicates,
    invalid: r.invalid,
    skipped: r.skipped,
    failureReason: r.failure_reason,
    errors,
    createdAt: r.created_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
  };
}
