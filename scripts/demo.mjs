#!/usr/bin/env node
// `npm run demo`: Clarion's main job end to end on this machine, no Meta account needed.
// Builds, migrates, starts the WhatsApp sandbox, the API and a worker, imports a sample contact
// sheet, runs a throttled broadcast through the sandbox with live progress, and prints the
// statistics that came back through signed status webhooks. Then it keeps running, with the console
// at the printed URL and a demo admin's sign-in printed beside it, until Ctrl-C; DEMO_EXIT=1 (CI,
// scripts) stops everything right after the statistics instead.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CONTACTS = Number(process.env.DEMO_CONTACTS ?? 3000);
const THROUGHPUT = Number(process.env.DEMO_MPS ?? 250);
const DATABASE_URL = process.env.DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/clarion_demo';
const EXIT_AFTER_STATS = process.env.DEMO_EXIT === '1';
// The console's sign-in: CLARION_ADMIN_EMAIL/PASSWORD make (or reset) this admin at the API's boot.
const ADMIN_EMAIL = process.env.DEMO_ADMIN_EMAIL ?? 'demo@example.com';
const ADMIN_PASSWORD = process.env.DEMO_ADMIN_PASSWORD ?? `demo-${randomBytes(6).toString('hex')}`;

const children = [];
const say = (line = '') => process.stdout.write(`${line}\n`);

async function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function start(name, script, env) {
  const child = spawn(process.execPath, [script], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr = (stderr + chunk).slice(-4000)));
  child.on('exit', (code, signal) => {
    if (!stopping) {
      say(`\n${name} stopped unexpectedly (${signal ?? code}).\n${stderr}`);
      shutdown(1);
    }
  });
  children.push(child);
  return child;
}

let stopping = false;
function shutdown(code) {
  stopping = true;
  for (const child of children) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 300);
}
process.on('SIGINT', () => {
  if (!stopping) say('\nStopping the sandbox, the API and the worker…');
  shutdown(0);
});
process.on('SIGTERM', () => shutdown(0));

async function waitFor(url, what) {
  for (let i = 0; i < 150; i++) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what} did not come up at ${url}`);
}

function api(base, token) {
  return async (method, path, body) => {
    const init = { method, headers: { Authorization: `Bearer ${token}` } };
    if (body instanceof FormData) init.body = body;
    else if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const res = await fetch(`${base}${path}`, init);
    const text = await res.text();
    const data = text ? JSON.parse(text) : undefined;
    if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${JSON.stringify(data?.message ?? data)}`);
    return data;
  };
}

const bar = (done, total, width = 30) => {
  const filled = total ? Math.round((done / total) * width) : 0;
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
};
const tty = process.stdout.isTTY;
let lastLine = 0;
function progress(text, final = false) {
  if (tty) process.stdout.write(`\r${text}   `);
  else if (final || Date.now() - lastLine >= 2000) {
    lastLine = Date.now();
    say(text);
  }
}
const pct = (x) => (x === null || x === undefined ? '–' : `${(x * 100).toFixed(1)}%`);

async function main() {
  say('Clarion demo: building…');
  const build = spawnSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit' });
  if (build.status !== 0) throw new Error('build failed');

  const apiPort = process.env.DEMO_PORT ? Number(process.env.DEMO_PORT) : await freePort();
  const sandboxPort = await freePort();
  const adminToken = `demo-${randomBytes(16).toString('hex')}`;
  const env = {
    DATABASE_URL,
    PORT: String(apiPort),
    WHATSAPP_GRAPH_URL: `http://127.0.0.1:${sandboxPort}`,
    CLARION_ADMIN_TOKEN: adminToken,
    CLARION_ADMIN_EMAIL: ADMIN_EMAIL,
    CLARION_ADMIN_PASSWORD: ADMIN_PASSWORD,
    REDIS_PREFIX: `clarion-demo-${randomBytes(3).toString('hex')}`,
    LOG_LEVEL: 'warn',
    SANDBOX_PORT: String(sandboxPort),
    SANDBOX_WEBHOOK_URL: `http://127.0.0.1:${apiPort}/webhooks/whatsapp`,
    SANDBOX_LOG: 'silent',
    // A few customers write back.
    SANDBOX_CONFIG: JSON.stringify({ replyProbability: 0.04 }),
  };

  say(`Starting the WhatsApp sandbox (:${sandboxPort}), the API (:${apiPort}) and a worker; database ${DATABASE_URL}`);
  start('sandbox', 'dist/apps/sandbox/src/main.js', env);
  start('api', 'dist/apps/api/src/main.js', env);
  await waitFor(`http://127.0.0.1:${apiPort}/health`, 'the API');
  start('worker', 'dist/apps/worker/src/main.js', env);
  await waitFor(`http://127.0.0.1:${sandboxPort}/_sandbox/stats`, 'the sandbox');
  const call = api(`http://127.0.0.1:${apiPort}`, adminToken);
  const consoleUrl = `http://127.0.0.1:${apiPort}/`;
  say(`The console is at ${consoleUrl} (sign in as ${ADMIN_EMAIL} with password ${ADMIN_PASSWORD}): watch the broadcast there.`);

  // 1. A sender and an approved template.
  const phoneNumberId = `demo${Date.now()}`;
  const wabaId = `waba${Date.now()}`;
  const sender = await call('POST', '/v1/senders', {
    name: 'Demo sender',
    api: 'cloud',
    phoneNumberId,
    wabaId,
    accessToken: 'sandbox-token',
    throughputMps: THROUGHPUT,
    messagingLimit: 'unlimited',
  });
  // Templates are approved by Meta: submit one for the sender's WhatsApp Business Account; the
  // sandbox reviews it like Meta and its webhook makes it APPROVED.
  const templateName = 'demo_offer';
  const submitted = await call('POST', '/v1/templates', {
    senderId: sender.id,
    name: templateName,
    language: 'en',
    category: 'MARKETING',
    parameter_format: 'positional',
    components: [{ type: 'BODY', text: 'Hi {{1}}, your {{2}} plan has a new offer. Reply STOP to opt out.', example: { body_text: [['Asha', 'Pro']] } }],
  });
  say(`Submitted template ${templateName} to Meta (the sandbox): ${submitted.status}, Meta id ${submitted.metaId}`);
  let template = submitted;
  for (const deadline = Date.now() + 30_000; template.status === 'PENDING' && Date.now() < deadline; ) {
    await new Promise((r) => setTimeout(r, 300));
    template = await call('GET', `/v1/templates/${submitted.id}`);
  }
  if (template.status !== 'APPROVED') throw new Error(`the demo template is ${template.status}${template.statusReason ? `: ${template.statusReason}` : ''}`);
  say(`Meta's review webhook arrived: ${templateName} is ${template.status}`);

  // 2. Import a sample sheet.
  const dir = mkdtempSync(join(tmpdir(), 'clarion-demo-'));
  const csvPath = join(dir, 'contacts.csv');
  spawnSync(process.execPath, ['scripts/data/gen-contacts.mjs', '--rows', String(CONTACTS), '--seed', String(Date.now() % 100000), '--country', 'IN', '--simple', '--out', csvPath], { stdio: 'ignore' });
  const form = new FormData();
  form.append('file', new Blob([readFileSync(csvPath)], { type: 'text/csv' }), 'contacts.csv');
  form.append('defaultCountry', 'IN');
  form.append('list', `demo-${phoneNumberId}`);
  say(`\nImporting ${CONTACTS} contacts (sample sheet with messy phone spellings, duplicates and invalid rows)…`);
  const queued = await call('POST', '/v1/imports', form);
  let imp;
  do {
    await new Promise((r) => setTimeout(r, 300));
    imp = await call('GET', `/v1/imports/${queued.id}`);
    const done = imp.status !== 'queued' && imp.status !== 'running';
    progress(`  ${bar(imp.processedRows, imp.totalRows || CONTACTS)} ${imp.processedRows}/${imp.totalRows || '?'} rows  ${imp.status}`, done);
  } while (imp.status === 'queued' || imp.status === 'running');
  if (imp.status === 'failed') throw new Error(`the import failed: ${imp.failureReason ?? imp.message}`);
  say(`${tty ? '\n' : ''}  created ${imp.created}, updated ${imp.updated}, duplicates ${imp.duplicates}, invalid ${imp.invalid}`);
  for (const e of (imp.errors ?? []).slice(0, 3)) say(`    row ${e.row}: ${e.reason}`);

  // 3. The broadcast.
  say(`\nBroadcasting '${templateName}' to the imported contacts at ≤ ${THROUGHPUT} msg/s…`);
  const broadcast = await call('POST', '/v1/broadcasts', {
    name: `Demo broadcast ${new Date().toISOString()}`,
    senderId: sender.id,
    template: { name: templateName, language: 'en' },
    audience: { importId: queued.id },
    variables: { 1: '{{name|there}}', 2: '{{plan|current}}' },
  });
  let b;
  const started = Date.now();
  do {
    await new Promise((r) => setTimeout(r, 500));
    b = await call('GET', `/v1/broadcasts/${broadcast.id}`);
    const p = b.progress ?? {};
    const done = ['completed', 'cancelled', 'failed', 'paused'].includes(b.status);
    progress(
      `  ${bar(p.accepted ?? 0, p.total ?? b.stats.total)} ${p.accepted ?? 0}/${p.total ?? b.stats.total} sent  ${Math.round(p.ratePerSecond ?? 0)} msg/s  ETA ${p.etaSeconds ?? '–'} s  ${b.status}`,
      done,
    );
    if (done) break;
  } while (Date.now() - started < 600_000);
  if (b.status !== 'completed') say(`\nThe broadcast ended ${b.status}${b.statusReason ? `: ${b.statusReason}` : ''}.`);

  // 4. Let delivery and read receipts arrive, then the statistics.
  say('\n\nWaiting for delivery and read receipts…');
  await new Promise((r) => setTimeout(r, 6000));
  b = await call('GET', `/v1/broadcasts/${broadcast.id}`);
  const s = b.stats;
  say(`\nStatistics of broadcast #${b.id} (${b.status}):`);
  say(`  total ${s.total}   sent ${s.sent}   delivered ${s.delivered}   read ${s.read}   replied ${s.replied}   failed ${s.failed}   skipped ${s.skipped}`);
  say(`  delivery rate ${pct(b.rates.deliveryRate)}   read rate ${pct(b.rates.readRate)}   reply rate ${pct(b.rates.replyRate)}`);
  const sandbox = await (await fetch(`http://127.0.0.1:${sandboxPort}/_sandbox/stats?phoneNumberId=${phoneNumberId}`)).json();
  say(`  the sandbox accepted ${sandbox.accepted} messages, at most ${sandbox.maxInTrailingSecond} in any one second (cap ${THROUGHPUT})`);
  if (EXIT_AFTER_STATS) {
    shutdown(0);
    return;
  }
  say('');
  say(`Console:  ${consoleUrl}broadcasts/${b.id}`);
  say(`Sign in:  ${ADMIN_EMAIL}`);
  say(`Password: ${ADMIN_PASSWORD}`);
  say(`API docs: http://127.0.0.1:${apiPort}/docs (Bearer token ${adminToken})`);
  say('Clarion keeps running (the sandbox keeps answering); press Ctrl-C to stop.');
}

main().catch((error) => {
  say(`\ndemo failed: ${error.message}`);
  shutdown(1);
});
