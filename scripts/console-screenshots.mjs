#!/usr/bin/env node
// `npm run console:screenshots`: every console page as a person sees it, with real data.
// Builds (unless --no-build), starts the WhatsApp sandbox, the API and a worker against a fresh
// database (`clarion_screenshots`, dropped and re-created), runs a few broadcasts through the
// sandbox (one with many failures, one scheduled) plus a long history of small ones, signs in with
// Debian's Chromium (CHROMIUM_PATH) and writes full-page PNGs at 1280 px and 390 px to
// var/screenshots/ (or the directory given as the first argument). docs/console-*.png are copies
// of the desktop dashboard, history and broadcast detail.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { chromium } from 'playwright-core';

const args = process.argv.slice(2);
const OUT = resolve(args.find((a) => !a.startsWith('--')) ?? 'var/screenshots');
const DATABASE = 'clarion_screenshots';
const SERVER = process.env.DATABASE_SERVER_URL ?? 'mysql://root@127.0.0.1:3306';
const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const EMAIL = 'analyst.admin@example.com';
const PASSWORD = 'screenshots-password';
const HISTORY_BROADCASTS = 56;

const children = [];
const say = (line) => process.stdout.write(`${line}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function freePort() {
  return new Promise((done) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

function start(script, env) {
  const child = spawn(process.execPath, [script], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  children.push(child);
}

async function waitFor(url) {
  for (let i = 0; i < 300; i++) {
    if (await fetch(url).then((r) => r.ok, () => false)) return;
    await sleep(200);
  }
  throw new Error(`nothing answered at ${url}`);
}

function client(base, token) {
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

async function until(what, check, ms = 120_000) {
  for (const deadline = Date.now() + ms; Date.now() < deadline; await sleep(300)) {
    const value = await check();
    if (value) return value;
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function importSheet(call, rows, seed) {
  const csv = join(mkdtempSync(join(tmpdir(), 'clarion-shots-')), 'contacts.csv');
  spawnSync(process.execPath, ['scripts/data/gen-contacts.mjs', '--rows', String(rows), '--seed', String(seed), '--country', 'IN', '--simple', '--out', csv]);
  const form = new FormData();
  form.append('file', new Blob([readFileSync(csv)], { type: 'text/csv' }), 'contacts.csv');
  form.append('defaultCountry', 'IN');
  const queued = await call('POST', '/v1/imports', form);
  await until(`import ${queued.id}`, async () => !['queued', 'running'].includes((await call('GET', `/v1/imports/${queued.id}`)).status));
  return queued.id;
}

async function seed(base, sandbox, call) {
  const sender = await call('POST', '/v1/senders', {
    name: 'Main number',
    api: 'cloud',
    phoneNumberId: 'shots-main',
    wabaId: 'shots-waba',
    accessToken: 'sandbox-token',
    throughputMps: 400,
    messagingLimit: 'unlimited',
  });
  await call('POST', '/v1/senders', {
    name: 'Support line',
    api: 'cloud',
    phoneNumberId: 'shots-support',
    wabaId: 'shots-waba',
    accessToken: 'sandbox-token',
    throughputMps: 80,
    messagingLimit: 1000,
    portfolio: 'Acme retail',
  });
  const template = await call('POST', '/v1/templates', {
    senderId: sender.id,
    name: 'winter_offer',
    language: 'en',
    category: 'MARKETING',
    parameter_format: 'positional',
    components: [{ type: 'BODY', text: 'Hi {{1}}, your {{2}} plan has a winter offer. Reply STOP to opt out.', example: { body_text: [['Asha', 'Pro']] } }],
  });
  await until('the template approval', async () => (await call('GET', `/v1/templates/${template.id}`)).status === 'APPROVED');
  const big = await importSheet(call, 600, 7);
  const small = await importSheet(call, 12, 8);
  const broadcast = (name, importId, extra = {}) =>
    call('POST', '/v1/broadcasts', {
      name,
      senderId: sender.id,
      template: { name: 'winter_offer', language: 'en' },
      audience: { importId },
      variables: { 1: '{{name|there}}', 2: '{{plan|current}}' },
      ...extra,
    });
  const finish = (id) => until(`broadcast ${id}`, async () => ['completed', 'failed', 'cancelled'].includes((await call('GET', `/v1/broadcasts/${id}`)).status));
  const sandboxConfig = (patch) => fetch(`${sandbox}/_sandbox/config`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(patch) });

  say(`a long history: ${HISTORY_BROADCASTS} small broadcasts…`);
  const digests = [];
  for (let i = 1; i <= HISTORY_BROADCASTS; i++) digests.push((await broadcast(`Weekly digest #${i}`, small, { tags: ['digest'] })).id);
  for (const id of digests) await finish(id);
  say('three larger broadcasts, one with many failures…');
  await finish((await broadcast('Winter sale — all customers', big, { tags: ['sale', 'winter'] })).id);
  await sandboxConfig({ faults: { errorRates: { 131026: 0.12, 131047: 0.04 } } });
  const failing = (await broadcast('Winter sale — lapsed customers', big, { tags: ['sale'] })).id;
  await finish(failing);
  await sandboxConfig({ faults: { errorRates: {} } });
  const last = (await broadcast('New year preview', big)).id;
  await finish(last);
  await broadcast('January launch', big, { scheduledAt: new Date(Date.now() + 3 * 86_400_000).toISOString() });
  // Late status webhooks (delivered, read) settle before the pictures are taken.
  await sleep(4000);
  return { failing, last };
}

async function shoot(base, ids) {
  mkdirSync(OUT, { recursive: true });
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: ['--no-sandbox', '--headless', '--disable-gpu'] });
  const pages = [
    ['dashboard', '/'],
    ['history', '/broadcasts'],
    ['broadcast', `/broadcasts/${ids.failing}`],
    ['broadcast-clean', `/broadcasts/${ids.last}`],
    ['compare', `/compare?ids=${ids.failing},${ids.last}`],
    ['sequences', '/sequences'],
    ['import', '/imports'],
    ['people', '/admin/people'],
    ['tokens', '/admin/tokens'],
    ['empty-dashboard', '/?range=custom&from=2020-01-01&to=2020-01-31'],
    ['empty-history', '/broadcasts?q=no-such-broadcast'],
    ['error-unknown-broadcast', '/broadcasts/999999'],
    ['error-not-found', '/no/such/page'],
  ];
  for (const [width, suffix] of [
    [1280, 'desktop'],
    [390, 'narrow'],
  ]) {
    const context = await browser.newContext({ viewport: { width, height: width > 500 ? 800 : 844 }, timezoneId: 'Europe/Berlin', locale: 'en-GB' });
    const page = await context.newPage();
    await page.goto(`${base}/sign-in`);
    await page.getByRole('textbox', { name: 'Email' }).waitFor();
    await page.screenshot({ path: join(OUT, `sign-in-${suffix}.png`), fullPage: true });
    await page.getByRole('textbox', { name: 'Email' }).fill(EMAIL);
    await page.getByRole('textbox', { name: 'Password' }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('signed-in-as').waitFor({ state: 'attached' });
    for (const [name, path] of pages) {
      await page.goto(`${base}${path}`);
      await page.waitForLoadState('networkidle');
      // Charts animate in; loaders disappear once every query has answered.
      await page.waitForFunction(() => !document.querySelector('[aria-busy="true"], .mantine-Skeleton-root'), undefined, { timeout: 15_000 }).catch(() => {});
      await sleep(1200);
      await page.screenshot({ path: join(OUT, `${name}-${suffix}.png`), fullPage: true });
    }
    await context.close();
  }
  await browser.close();
}

async function main() {
  if (!args.includes('--no-build')) {
    say('building…');
    if (spawnSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit' }).status !== 0) throw new Error('build failed');
  }
  const admin = await createConnection(SERVER);
  await admin.query(`DROP DATABASE IF EXISTS \`${DATABASE}\``);
  await admin.end();

  const [apiPort, sandboxPort] = [await freePort(), await freePort()];
  const base = `http://127.0.0.1:${apiPort}`;
  const sandbox = `http://127.0.0.1:${sandboxPort}`;
  const token = `shots-${randomBytes(16).toString('hex')}`;
  const env = {
    DATABASE_URL: `${SERVER}/${DATABASE}`,
    PORT: String(apiPort),
    WHATSAPP_GRAPH_URL: sandbox,
    CLARION_ADMIN_TOKEN: token,
    CLARION_ADMIN_EMAIL: EMAIL,
    CLARION_ADMIN_PASSWORD: PASSWORD,
    REDIS_PREFIX: `clarion-shots-${randomBytes(3).toString('hex')}`,
    LOG_LEVEL: 'warn',
    SANDBOX_PORT: String(sandboxPort),
    SANDBOX_WEBHOOK_URL: `${base}/webhooks/whatsapp`,
    SANDBOX_LOG: 'silent',
    SANDBOX_CONFIG: JSON.stringify({ replyProbability: 0.05 }),
  };
  start('dist/apps/sandbox/src/main.js', env);
  start('dist/apps/api/src/main.js', env);
  await waitFor(`${base}/health`);
  start('dist/apps/worker/src/main.js', env);
  await waitFor(`${sandbox}/_sandbox/stats`);

  const ids = await seed(base, sandbox, client(base, token));
  say(`screenshots into ${OUT}…`);
  await shoot(base, ids);
  say('done');
}

main()
  .catch((error) => {
    process.stderr.write(`${error.stack ?? error}\n`);
    process.exitCode = 1;
  })
  .finally(() => children.forEach((child) => child.kill('SIGTERM')));
