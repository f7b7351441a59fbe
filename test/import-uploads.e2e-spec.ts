import type { INestApplication } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  rmSync,
  utimesSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { ImportsService, UploadSweep } from '@clarion/contacts';
import { JobLock, REDIS, RedisKeys } from '@clarion/queue';
import { ImportProcessor } from '../apps/worker/src/imports/import.processor';
import { UploadSweepScheduler } from '../apps/worker/src/imports/upload-sweep.scheduler';
import { bearer, startApi } from './support/apps';
import { SpawnedWorker, spawnWorkerProcess } from './support/processes';
import { waitForImport } from './fixtures/imports/import-helpers';

/** Uploads never stay on disk once no import will read them; an oversized CSV row fails its import at once. */
describe('import uploads', () => {
  const root = mkdtempSync(join(tmpdir(), 'clarion-import-uploads-'));
  const uploads = join(root, 'uploads');
  mkdirSync(uploads);
  let api: INestApplication;
  let http: ReturnType<typeof request>;
  let worker: SpawnedWorker;
  let db: DataSource;

  beforeAll(async () => {
    api = await startApi({ UPLOAD_DIR: uploads, MAX_UPLOAD_MB: '100' });
    http = request(api.getHttpServer());
    db = api.get(DataSource);
    // the built worker: imports run in its resource-limited thread, as in production
    worker = spawnWorkerProcess({ UPLOAD_DIR: uploads });
  });
  afterAll(async () => {
    await worker?.stop();
    await api?.close();
    rmSync(root, { recursive: true, force: true });
  });

  const files = () => readdirSync(uploads);
  const upload = (name: string, content: string | Buffer) => {
    const path = join(uploads, name);
    writeFileSync(path, content);
    return { path, fileName: name, bytes: Buffer.byteLength(content), fields: { defaultCountry: 'IN' } };
  };

  it('fails an import whose CSV holds a 40 MiB field with a message, once, and deletes the upload', async () => {
    const path = join(uploads, 'huge-field.csv');
    const fd = openSync(path, 'w');
    writeSync(fd, 'phone,note\n+919811111111,ok\n+919811111112,"');
    const block = Buffer.alloc(1024 * 1024, 0x61);
    for (let i = 0; i < 40; i++) writeSync(fd, block);
    writeSync(fd, '"\n+919811111113,after\n');
    closeSync(fd);
    const { id } = await api
      .get(ImportsService)
      .start({ path, fileName: 'huge-field.csv', bytes: 41 * 1024 * 1024, fields: { defaultCountry: 'IN' } });

    const result = await waitForImport(http, id, 60_000);
    expect(result.status).toBe('failed');
    expect(result.failureReason).toContain('larger than 1 MiB (the cap per row)');
    expect(result.failureReason).not.toContain('attempt');
    expect(existsSync(path)).toBe(false);
    expect(worker.stderr()).not.toMatch(/heap out of memory/i);
  });

  it('deletes the upload when bull gives up on an import', async () => {
    const file = upload('given-up.csv', 'phone\n+919811111114\n');
    const [{ insertId }] = [
      await db.query("INSERT INTO imports (status, file_name, file_path, file_bytes, options) VALUES ('running', 'x', ?, 1, '{}')", [
        file.path,
      ]),
    ];
    const processor = new ImportProcessor(undefined as never, undefined as never, db);
    await processor.failed(
      { data: { importId: Number(insertId) }, attemptsMade: 5, isFailed: async () => true } as never,
      new Error('thread died'),
    );
    expect(existsSync(file.path)).toBe(false);
    const [row] = await db.query('SELECT status FROM imports WHERE id = ?', [insertId]);
    expect(row.status).toBe('failed');
  });

  it('deletes the upload of a refused import or sequence sheet', async () => {
    await http
      .post('/v1/imports')
      .set(bearer())
      .field('mapping', '{not json')
      .attach('file', Buffer.from('phone\n1\n'), 'a.csv')
      .expect(400);
    await http.post('/v1/sequences/999999/enrollments').set(bearer()).attach('file', Buffer.from('phone\n1\n'), 'a.csv').expect(404);
    await http
      .post('/v1/sequences/999999/enrollments')
      .set(bearer())
      .field('reenrollment', 'sometimes')
      .attach('file', Buffer.from('phone\n1\n'), 'a.csv')
      .expect(400);
    expect(files()).toEqual([]);
  });

  it('sweeps uploads older than a day, on one worker at a time, keeping those a pending import will read', async () => {
    const dayAndAMinute = (Date.now() - 24 * 3_600_000 - 60_000) / 1000;
    const stale = upload('stale.csv', 'phone\n');
    const pending = upload('pending.csv', 'phone\n');
    const fresh = upload('fresh.csv', 'phone\n');
    utimesSync(stale.path, dayAndAMinute, dayAndAMinute);
    utimesSync(pending.path, dayAndAMinute, dayAndAMinute);
    await db.query("INSERT INTO imports (status, file_name, file_path, file_bytes, options) VALUES ('queued', 'p', ?, 1, '{}')", [
      pending.path,
    ]);

    const lock = new JobLock(api.get(REDIS), api.get(RedisKeys));
    const schedulers = [0, 1].map(() => new UploadSweepScheduler(new SchedulerRegistry(), api.get(UploadSweep), lock));
    const fired = await Promise.all(schedulers.map((s) => s.tick()));
    expect(fired.sort()).toEqual([1, undefined]);
    expect(files().sort()).toEqual(['fresh.csv', 'pending.csv']);
    expect(existsSync(fresh.path)).toBe(true);
  });
});
