import { NestFactory } from '@nestjs/core';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { prepareDatabase } from '@clarion/database';
import { CreateSequence, DueStepEnqueuer, EnrollContacts } from '@clarion/sequences';
import { SendersService } from '@clarion/senders';
import { startSandbox } from '../apps/sandbox/src/start-sandbox';
import { benchRun, stopProcess } from './process-support';

/**
 * Sequences at scale: BENCH_SEQUENCE_ENROLMENTS (default 100,000) contacts enrolled in a
 * sequence whose first step falls due at once, then one tick firing enqueues them all (claims
 * due runs, checks stop rules, appends them as recipients of the step broadcast, advances them).
 * The goal is under 10 s. Baseline: a bare INSERT…SELECT of the same recipient rows into a copy
 * of the ledger table. Then a worker process (dist/, as in production) drains the step broadcast into the
 * sandbox for BENCH_SEQUENCE_DRAIN_SECONDS (default 20) and the steady send rate is compared with
 * the sender's cap (BENCH_SEQUENCE_MPS, default 500).
 */
export async function run(): Promise<void> {
  const n = Number(process.env.BENCH_SEQUENCE_ENROLMENTS ?? 100_000);
  const capMps = Number(process.env.BENCH_SEQUENCE_MPS ?? 500);
  const drainSeconds = Number(process.env.BENCH_SEQUENCE_DRAIN_SECONDS ?? 20);
  // The sandbox does not throttle here (a high cap of its own): the sender's cap is what is measured.
  const sandbox = await startSandbox({
    config: { templates: null, webhook: { url: null }, defaultMps: 100_000, pairRate: null, ledgerLimit: 1_000_000 },
  });
  const run = benchRun('seq');
  const { runId, databaseUrl } = run;
  Object.assign(process.env, { ...run.env, WHATSAPP_GRAPH_URL: sandbox.url });
  await prepareDatabase(databaseUrl);
  // Loaded after the environment is set: the modules read it when they are created.
  const { ApiModule } = await import('../apps/api/src/api.module');
  const app = await NestFactory.createApplicationContext(ApiModule, { logger: ['error'] });
  try {
    const db = app.get(DataSource);
    const sender = await app.get(SendersService).create({
      name: 'bench',
      api: 'cloud',
      phoneNumberId: `bench-${runId}`,
      accessToken: 'bench-token',
      throughputMps: capMps,
      messagingLimit: 'unlimited',
    });
    await db.query(
      "INSERT INTO templates (name, language, category, status, parameter_format, components) VALUES ('bench_drip', 'en', 'MARKETING', 'APPROVED', 'POSITIONAL', ?)",
      [JSON.stringify([{ type: 'BODY', text: 'Hello {{1}}', example: { body_text: [['Asha']] } }])],
    );
    const list = await db.query("INSERT INTO contact_lists (name) VALUES ('bench')");
    const listId = Number(list.insertId);
    console.log(`seeding ${n} contacts…`);
    for (let from = 0; from < n; from += 5_000) {
      const rows = [];
      for (let i = from; i < Math.min(n, from + 5_000); i++)
        rows.push([`+9190${String(i).padStart(8, '0')}`, `Person ${i}`, 'IN', JSON.stringify({ city: 'Pune' })]);
      await db.query('INSERT INTO contacts (phone, name, country, attributes) VALUES ?', [rows]);
    }
    await db.query('INSERT INTO contact_list_members (list_id, contact_id) SELECT ?, id FROM contacts', [listId]);

    const seq = await app.get(CreateSequence).execute(
      {
        name: 'bench',
        senderId: sender.id,
        steps: [
          { template: { name: 'bench_drip', language: 'en' }, variables: { '1': '{{name|there}}' }, delay: 'PT0S' },
          { template: { name: 'bench_drip', language: 'en' }, variables: { '1': '{{name|there}}' }, delay: 'P1D' },
        ],
      },
      'bench',
    );
    const broadcastId = seq.steps[0].broadcastId!;
    // Keep dispatch (if a worker ran) out of the measurement: the step broadcast waits paused.
    await db.query("UPDATE broadcasts SET status = 'paused' WHERE id = ?", [broadcastId]);

    let t = Date.now();
    const enrolled = await app.get(EnrollContacts).enrollAudience(seq.id, { listId });
    const enrolMs = Date.now() - t;
    console.log(
      `enrolment: ${enrolled.enrolled} runs in ${(enrolMs / 1000).toFixed(2)} s (${Math.round(enrolled.enrolled / (enrolMs / 1000))}/s)`,
    );

    t = Date.now();
    const result = await app.get(DueStepEnqueuer).enqueueDue(new Date());
    const tickMs = Date.now() - t;
    const [{ total }] = await db.query('SELECT COUNT(*) AS total FROM broadcast_recipients WHERE broadcast_id = ?', [broadcastId]);
    console.log(
      `tick: ${result.enqueued} steps enqueued (${Number(total)} ledger rows) in ${(tickMs / 1000).toFixed(2)} s = ${Math.round(result.enqueued / (tickMs / 1000))}/s; goal: ${n} within 10 s → ${tickMs <= 10_000 ? 'met' : 'NOT met'}`,
    );

    await db.query('CREATE TABLE bench_recipients LIKE broadcast_recipients');
    t = Date.now();
    await db.query(
      `INSERT INTO bench_recipients (broadcast_id, contact_id, enrollment_id, phone, country, params)
       SELECT ?, e.contact_id, e.id, c.phone, c.country, JSON_OBJECT('1', c.name) FROM sequence_enrollments e JOIN contacts c ON c.id = e.contact_id WHERE e.sequence_id = ?`,
      [broadcastId, seq.id],
    );
    const rawMs = Date.now() - t;
    console.log(
      `baseline: bare INSERT…SELECT of ${n} recipient rows in ${(rawMs / 1000).toFixed(2)} s (${Math.round(n / (rawMs / 1000))}/s)`,
    );
    console.log(`ratio: the tick takes ${(tickMs / rawMs).toFixed(1)}× the bare insert`);

    await db.query("UPDATE broadcasts SET status = 'running' WHERE id = ?", [broadcastId]);
    const worker = spawn(process.execPath, [join(__dirname, '..', 'apps', 'worker', 'src', 'main.js')], {
      env: { ...process.env },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    try {
      const samples: Array<{ at: number; sent: number }> = [];
      const started = Date.now();
      while (Date.now() - started < drainSeconds * 1000) {
        await new Promise((r) => setTimeout(r, 250));
        samples.push({ at: Date.now(), sent: sandbox.ledger().length });
      }
      // Steady state: from the first second with sends to the end (start-up is not the cap's business).
      const first = samples.find((x) => x.sent > 0);
      const last = samples[samples.length - 1];
      if (!first || last.at === first.at) {
        console.log('drain: nothing was sent (is dispatch running?)');
      } else {
        const from = samples.find((x) => x.at >= first.at + 1_000) ?? first;
        const rate = (last.sent - from.sent) / ((last.at - from.at) / 1000);
        console.log(
          `drain: ${last.sent} sent in ${drainSeconds} s; steady ${Math.round(rate)}/s against a cap of ${capMps}/s (${((rate / capMps) * 100).toFixed(0)}% of the cap)`,
        );
        const { maxInTrailingSecond } = await sandbox.stats(sender.phoneNumberId);
        console.log(
          `max in any second at the sandbox: ${maxInTrailingSecond} (goal ≤ ${capMps}: ${maxInTrailingSecond <= capMps ? 'met' : 'NOT met'})`,
        );
      }
    } finally {
      await db.query("UPDATE broadcasts SET status = 'cancelled' WHERE id = ?", [broadcastId]);
      await stopProcess(worker);
    }
  } finally {
    await app.close();
    await sandbox.close();
    await run.cleanUp();
  }
}
