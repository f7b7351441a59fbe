import type { INestApplication } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { freePort } from '../apps/sandbox/src/spawn-sandbox';
import { bearer, startApi } from './support/apps';
import { phoneFactory } from './support/broadcast-fixtures';
import { SpawnedWorker, spawnWorkerProcess, waitFor } from './support/processes';
import { waitForImport } from './fixtures/imports/import-helpers';

/** The value of one sample in Prometheus text (`name{a="b",…} value`), 0 when that series is absent. */
function sample(text: string, name: string, labels: Record<string, string>): number {
  for (const line of text.split('\n')) {
    const match = /^([a-z_:]+)\{(.*)\} (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries([...match[2].matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) return Number(match[3]);
  }
  return 0;
}

/**
 * `/metrics` shows what the processes did: HTTP requests by route and status (API), rows
 * imported by outcome (the worker that ran the import, in its own process), and how many jobs
 * wait in each queue (sampled by every process).
 */
describe('metrics', () => {
  const uploads = mkdtempSync(join(tmpdir(), 'clarion-metrics-'));
  let api: INestApplication;
  let http: ReturnType<typeof request>;
  let worker: SpawnedWorker | undefined;

  beforeAll(async () => {
    api = await startApi({ UPLOAD_DIR: uploads });
    http = request(api.getHttpServer());
  });
  afterAll(async () => {
    await worker?.stop();
    await api?.close();
    rmSync(uploads, { recursive: true, force: true });
  });

  const apiMetrics = async () => (await http.get('/metrics').expect(200)).text;

  it('counts HTTP requests by method, route pattern and status', async () => {
    const before = await apiMetrics();
    const count = (text: string, route: string, status: string, method = 'GET') =>
      sample(text, 'clarion_http_request_seconds_count', { method, route, status });
    for (const id of [987001, 987002, 987003]) await http.get(`/v1/broadcasts/${id}`).set(bearer()).expect(404);
    await http.get('/v1/contacts').expect(401);
    await http.get('/v1/contacts?limit=1').expect(401);
    await http.get('/v1/contacts').set(bearer()).expect(200);
    await http.get('/v1/no/such/path').expect(404);

    const after = await apiMetrics();
    expect(count(after, '/v1/broadcasts/:id', '404') - count(before, '/v1/broadcasts/:id', '404')).toBe(3);
    expect(count(after, '/v1/contacts', '401') - count(before, '/v1/contacts', '401')).toBe(2);
    expect(count(after, '/v1/contacts', '200') - count(before, '/v1/contacts', '200')).toBe(1);
    expect(count(after, 'unmatched', '404') - count(before, 'unmatched', '404')).toBe(1);
    // Raw paths never become series of their own.
    expect(after).not.toContain('987001');
  });

  it('shows the import queue filling while no worker runs, the rows imported by outcome, and the queue draining', async () => {
    const phone = phoneFactory();
    const sheet = ['phone,name', `${phone(1)},A`, `${phone(2)},B`, `${phone(3)},C`, `${phone(1)},A again`, '12345,Bad', ''].join('\n');
    const upload = await http.post('/v1/imports').set(bearer()).attach('file', Buffer.from(sheet), 'people.csv').expect(202);

    await waitFor(
      async () => sample(await apiMetrics(), 'clarion_queue_waiting_jobs', { queue: 'imports' }) === 1,
      20_000,
      'the API to report one import job waiting',
    );

    const workerPort = await freePort();
    worker = spawnWorkerProcess({ UPLOAD_DIR: uploads, WORKER_PORT: String(workerPort) });
    const result = await waitForImport(http, upload.body.id, 60_000);
    expect(result).toMatchObject({ status: 'completed', created: 3, duplicates: 1, invalid: 1 });

    const workerMetrics = await waitFor(
      async () => {
        const text = await fetch(`http://127.0.0.1:${workerPort}/metrics`).then((r) => r.text());
        return sample(text, 'clarion_import_rows_total', { outcome: 'created' }) > 0 ? text : undefined;
      },
      20_000,
      "the worker's /metrics to show the import",
    );
    expect({
      created: sample(workerMetrics, 'clarion_import_rows_total', { outcome: 'created' }),
      duplicates: sample(workerMetrics, 'clarion_import_rows_total', { outcome: 'duplicates' }),
      invalid: sample(workerMetrics, 'clarion_import_rows_total', { outcome: 'invalid' }),
      updated: sample(workerMetrics, 'clarion_import_rows_total', { outcome: 'updated' }),
    }).toEqual({ created: 3, duplicates: 1, invalid: 1, updated: 0 });

    await waitFor(
      async () => sample(await apiMetrics(), 'clarion_queue_waiting_jobs', { queue: 'imports' }) === 0,
      20_000,
      'the API to report the import queue empty again',
    );
    await waitFor(
      async () => {
        const text = await fetch(`http://127.0.0.1:${workerPort}/metrics`).then((r) => r.text());
        return /^clarion_queue_waiting_jobs\{queue="imports"\} 0$/m.test(text);
      },
      20_000,
      'the worker to report the import queue empty',
    );
  });
});
