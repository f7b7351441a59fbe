import AxeBuilder from '@axe-core/playwright';
import { createConnection, type Connection } from 'mysql2/promise';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import type { DataSource } from 'typeorm';
import { freePort } from '../../apps/sandbox/src/spawn-sandbox';
import { parseDatabaseUrl } from '../../libs/database/src/database-url';
import { ADMIN_TOKEN } from './apps';
import { SandboxProcess, spawnAppProcess, spawnSandboxProcess, SpawnedApp, spawnWorkerProcess, waitFor } from './processes';

/** The browser Debian ships (apt-get install chromium); Playwright cannot download its own here. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

export const ADMIN_EMAIL = 'admin@console.test';
export const ADMIN_PASSWORD = 'admin-password-for-tests';

/**
 * The whole product as a person meets it: the built API (serving the console), a worker and the
 * sandbox as separate processes, against this file's MariaDB database and Redis prefix.
 */
export interface ConsoleStack {
  url: string;
  sandbox: SandboxProcess;
  api: SpawnedApp;
  /** A query function over this file's database (enough for the test fixtures). */
  db: DataSource;
  startWorker(): Promise<void>;
  stop(): Promise<void>;
}

export async function startConsoleStack(env: Record<string, string> = {}): Promise<ConsoleStack> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const sandbox = await spawnSandboxProcess({ SANDBOX_WEBHOOK_URL: `${url}/webhooks/whatsapp` });
  const common = { WHATSAPP_GRAPH_URL: sandbox.url, CLARION_ADMIN_TOKEN: ADMIN_TOKEN, ...env };
  const api = spawnAppProcess('api', {
    ...common,
    PORT: String(port),
    CLARION_ADMIN_EMAIL: ADMIN_EMAIL,
    CLARION_ADMIN_PASSWORD: ADMIN_PASSWORD,
  });
  await waitFor(
    async () => {
      if (api.stderr().includes('failed to start')) throw new Error(api.stderr());
      return fetch(`${url}/health`).then(
        (r) => r.status > 0,
        () => false,
      );
    },
    30_000,
    'the API process to listen',
  );
  const connection: Connection = await connect();
  const db = { query: async (sql: string, params?: unknown[]) => (await connection.query(sql, params))[0] } as unknown as DataSource;
  let worker: SpawnedApp | undefined;
  return {
    url,
    sandbox,
    api,
    db,
    async startWorker() {
      worker = spawnWorkerProcess(common);
    },
    async stop() {
      await Promise.all([worker?.stop(), api.stop(), sandbox.stop()]);
      await connection.end();
    },
  };
}

async function connect(): Promise<Connection> {
  const c = parseDatabaseUrl(process.env.DATABASE_URL as string);
  return createConnection({ host: c.host, port: c.port, user: c.user, password: c.password, database: c.database });
}

/** Signs in through the page, as a person does. */
/** A person of `role` made through the API (with the admin token), to sign in as in a test. */
export async function addPerson(
  url: string,
  person: { email: string; password: string },
  role: 'admin' | 'marketer' | 'analyst',
  name: string = role,
): Promise<void> {
  const res = await fetch(`${url}/v1/users`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: person.email, password: person.password, name, role }),
  });
  if (res.status !== 201) throw new Error(`person not created: ${res.status} ${await res.text()}`);
}

export async function signIn(page: Page, url: string, email: string, password: string): Promise<void> {
  await page.goto(`${url}/sign-in`);
  await page.getByRole('textbox', { name: 'Email' }).fill(email);
  await page.getByRole('textbox', { name: 'Password' }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('signed-in-as').waitFor();
}

/** Axe's serious and critical findings on the page as it is now (expect an empty list). */
export async function seriousAxeViolations(page: Page): Promise<string[]> {
  // Colours are judged as they end up: a dialog caught mid-fade has blended ones.
  await page.evaluate('Promise.all(document.getAnimations().map((a) => a.finished.catch(() => undefined)))');
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** One test's own browser context and page (viewer in Berlin unless told), with the errors the page reports. */
export async function openPage(
  browser: Browser,
  options: BrowserContextOptions = {},
): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ timezoneId: 'Europe/Berlin', ...options });
  const page = await context.newPage();
  return { context, page, errors: collectPageErrors(page) };
}

/** Errors the page logged or threw (a CSP refusal shows up here). 401s of the sign-in probe are expected. */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of 401/.test(m.text())) errors.push(m.text());
  });
  return errors;
}
