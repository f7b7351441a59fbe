import { NestFactory } from '@nestjs/core';
import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { CreateBroadcast } from '@clarion/broadcasts';
import { prepareDatabase } from '@clarion/database';
import { OutboundEvent, OutboundEvents, WebhookEndpoints, writeOutbox } from '@clarion/outbound-webhooks';
import { SendersService } from '@clarion/senders';
import { spawnSandboxProcess } from '../apps/sandbox/src/spawn-sandbox';
import { benchRun, stopProcess } from './process-support';

const WORKER_MAIN = join(__dirname, '..', 'apps', 'worker', 'src', 'main.js');

function failedEvents(n: number, offset: number): OutboundEvent[] {
  return Array.from({ length: n }, (_, i) =>
    OutboundEvents.recipientFailed({
      broadcastId: 1,
      recipientId: offset + i,
      phone: '+919000000000',
      errorCode: 131026,
      errorTitle: 'Message undeliverable',
    }),
  );
}

/**
 * Outbound webhooks' outbox, and what it costs dispatch:
 * 1. Outbox writes: BENCH_OUTBOX_EVENTS (100,000) recipient.failed events written as dispatch writes
 *    them (one transaction per batch of 100), as a rate and a ratio to a bare multi-row INSERT of
 *    the same rows into a table of the same shape.
 * 2. Dispatch, one worker, unthrottled (BENCH_OUTBOX_DISPATCH, 20,000 sends), alone and then while
 *    10,000 events/s are written to the outbox and the worker relays them (an endpoint is
 *    subscribed to another type, so they are relayed and dropped, not posted): the ratio of the two rates.
 * 3. Relay and delivery: BENCH_OUTBOX_DELIVERIES (5,000) events posted, signed, to a local
 *    receiver by one worker: events/s from the first write to the last answer.
 */
export async function run(): Promise<void> {
  const total = Number(process.env.BENCH_OUTBOX_EVENTS ?? 100_000);
  const sends = Number(process.env.BENCH_OUTBOX_DISPATCH ?? 20_000);
  const deliveries = Number(process.env.BENCH_OUTBOX_DELIVERIES ?? 5_000);
  const sandbox = await spawnSandboxProcess({
    SANDBOX_WEBHOOK_URL: 'off',
    SANDBOX_CONFIG: JSON.stringify({ templates: null, pairRate: null }),
  });
  const run = benchRun('outbox');
  const env = { ...run.env, WHATSAPP_GRAPH_URL: sandbox.url, WEBHOOK_RELAY_INTERVAL_MS: '100' };
  Object.assign(process.env, env);
  await prepareDatabase(run.databaseUrl);
  const { ApiModule } = await import('../apps/api/src/api.module');
  const app = await NestFactory.createApplicationContext(ApiModule, { logger: ['error'] });
  let worker: ChildProcess | undefined;
  let received = 0;
  const receiver = createServer((req, res) => {
    req.resume();
    req.on('end', () => (received++, res.writeHead(204).end()));
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  try {
    const db = app.get(DataSource);

    // 1. Outbox writes against the bare INSERT.
    await db.query('CREATE TABLE outbox_baseline LIKE webhook_outbox');
    const rows = failedEvents(total, 0).map((e) => [e.id, e.type, JSON.stringify(e.data), e.occurredAt]);
    let t = performance.now();
    for (let i = 0; i < rows.length; i += 1_000)
      await db.query('INSERT INTO outbox_baseline (event_id, type, data, occurred_at) VALUES ?', [rows.slice(i, i + 1_000)]);
    const bareRate = total / ((performance.now() - t) / 1000);
    const events = failedEvents(total, 0);
    t = performance.now();
    for (let i = 0; i < events.length; i += 100) await db.transaction((m) => writeOutbox(m, events.slice(i, i + 100)));
    const outboxRate = total / ((performance.now() - t) / 1000);
    console.log(
      `outbox writes, batches of 100 in their own transactions: ${Math.round(outboxRate)} events/s; bare multi-row INSERT (1,000 a statement, no transaction): ${Math.round(bareRate)} rows/s; ratio ${(outboxRate / bareRate).toFixed(2)}`,
    );
    await db.query('DELETE FROM webhook_outbox');

    // 2. Dispatch alone, then with 10,000 events/s going through the outbox.
    await db.query(
      "INSERT INTO templates (name, language, category, status, parameter_format, components) VALUES ('order_update', 'en_US', 'UTILITY', 'APPROVED', 'POSITIONAL', ?)",
      [JSON.stringify([{ type: 'BODY', text: 'Hi {{1}}, your order {{2}} has shipped.' }])],
    );
    const seed = async (offset: number) => {
      const list = await db.query('INSERT INTO contact_lists (name) VALUES (?)', [`bench-${offset}`]);
      for (let from = 0; from < sends; from += 5_000) {
        const batch = [];
        for (let i = from; i < Math.min(sends, from + 5_000); i++)
          batch.push([`+9190${String(offset + i).padStart(8, '0')}`, `Person ${i}`, 'IN', JSON.stringify({ order: `O-${i}` })]);
        await db.query('INSERT INTO contacts (phone, name, country, attributes) VALUES ?', [batch]);
      }
      await db.query('INSERT INTO contact_list_members (list_id, contact_id) SELECT ?, id FROM contacts WHERE phone >= ? AND phone < ?', [
        Number(list.insertId),
        `+9190${String(offset).padStart(8, '0')}`,
        `+9190${String(offset + sends).padStart(8, '0')}`,
      ]);
      return Number(list.insertId);
    };
    const quiet = await seed(0);
    const loaded = await seed(sends);
    const senders = app.get(SendersService);
    const creator = app.get(CreateBroadcast);
    await sandbox.configure({ defaultMps: 1_000_000 });
    const dispatchRate = async (label: string, listId: number): Promise<number> => {
      const sender = await senders.create({
        name: label,
        api: 'cloud',
        phoneNumberId: `bench-${label}-${run.runId}`,
        accessToken: 't',
        throughputMps: 1_000_000,
        messagingLimit: 'unlimited',
      });
      const { id } = await creator.execute({
        name: label,
        senderId: sender.id,
        template: { name: 'order_update', language: 'en_US' },
        audience: { listId },
        variables: { '1': '{{name}}', '2': '{{order}}' },
      });
      while ((await sandbox.stats(sender.phoneNumberId)).accepted === 0) await new Promise((r) => setTimeout(r, 20));
      const started = performance.now();
      for (;;) {
        const [row] = await db.query('SELECT status FROM broadcasts WHERE id = ?', [id]);
        if (row.status === 'completed') break;
        await new Promise((r) => setTimeout(r, 50));
      }
      return sends / ((performance.now() - started) / 1000);
    };
    const endpoints = app.get(WebhookEndpoints);
    const routed = await endpoints.create({
      url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/`,
      events: ['broadcast.completed'],
    });
    worker = spawn(process.execPath, [WORKER_MAIN], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
    await new Promise((r) => setTimeout(r, 4_000));
    const alone = await dispatchRate('quiet', quiet);

    let written = 0;
    let loading = true;
    const loadStarted = performance.now();
    const load = (async () => {
      // 500 events every 50 ms = 10,000 events/s, each 500 in one transaction.
      for (let tick = 0; loading; tick++) {
        await db.transaction((m) => writeOutbox(m, failedEvents(500, tick * 500)));
        written += 500;
        const due = loadStarted + (tick + 1) * 50;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      }
    })();
    await new Promise((r) => setTimeout(r, 1_000));
    const withLoad = await dispatchRate('loaded', loaded);
    loading = false;
    await load;
    const loadRate = written / ((performance.now() - loadStarted) / 1000);
    let left = Number((await db.query('SELECT COUNT(*) AS n FROM webhook_outbox'))[0].n);
    const drainStart = performance.now();
    while (left > 0 && performance.now() - drainStart < 60_000) {
      await new Promise((r) => setTimeout(r, 200));
      left = Number((await db.query('SELECT COUNT(*) AS n FROM webhook_outbox'))[0].n);
    }
    console.log(
      `dispatch, 1 worker, unthrottled: ${Math.round(alone)} msg/s alone; ${Math.round(withLoad)} msg/s while ${Math.round(loadRate)} events/s went into the outbox and the worker relayed them; ratio ${(withLoad / alone).toFixed(2)}; outbox ${left === 0 ? 'empty' : `${left} rows left`} ${((performance.now() - drainStart) / 1000).toFixed(1)} s after the load stopped`,
    );

    // 3. Relay and signed delivery to a local receiver.
    await endpoints.update(routed.endpoint.id, { events: ['recipient.failed'] });
    received = 0;
    t = performance.now();
    for (let i = 0; i < deliveries; i += 500) await db.transaction((m) => writeOutbox(m, failedEvents(Math.min(500, deliveries - i), i)));
    while (received < deliveries && performance.now() - t < 120_000) await new Promise((r) => setTimeout(r, 20));
    const deliveryRate = received / ((performance.now() - t) / 1000);
    console.log(
      `relay and signed delivery, 1 worker (32 in flight) to a local receiver: ${received}/${deliveries} events at ${Math.round(deliveryRate)} events/s`,
    );
  } finally {
    if (worker) await stopProcess(worker);
    receiver.close();
    await app.close();
    await sandbox.stop();
    await run.cleanUp();
  }
}
