import request from 'supertest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { bearer } from './support/apps';
import { approveDemoTemplates, broadcastCompleted, createSender, seedList } from './support/broadcast-fixtures';
import { waitFor } from './support/processes';
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  ConsoleStack,
  launchBrowser,
  openPage,
  seriousAxeViolations,
  signIn,
  startConsoleStack,
} from './support/console-stack';

const TEMPLATE = { name: 'hello_world', language: 'en_US' };
/** Names of controls that would change something: an analyst must see none of them. */
const CHANGING =
  /\b(pause|resume|cancel|delete|remove|edit|new|create|add|disable|enable|revoke|send|duplicate|copy|enrol|enroll|unenrol|save|upload|import)\b/i;

/**
 * What an analyst meets in the console (headless Chromium against the built API, a worker and the
 * sandbox): a completed broadcast and a sequence with the API's own numbers, and nothing to press
 * that changes them; links and filters that survive a reload; and axe on every page.
 */
describe('Console: an analyst reads history and sequences (browser e2e)', () => {
  let stack: ConsoleStack;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  const analyst = { name: 'Ana Lyst', email: `ana.${Date.now()}@console.test`, password: 'analyst-password-42' };
  let broadcastId: number;
  let otherBroadcastId: number;
  let sequenceId: number;
  let senderId: number;

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startConsoleStack({ SEQUENCE_TICK_MS: '300' }), launchBrowser()]);
    await stack.startWorker();
    await approveDemoTemplates(stack.db);
    senderId = (await createSender(stack.url)).id;

    // A broadcast whose final figures are known: 2 of 20 fail, 3 are delivered but never read.
    const audience = await seedList(stack.db, 20);
    const digits = audience.contacts.map((c) => c.phone.replace('+', ''));
    await stack.sandbox.configure({
      statuses: { deliveredProbability: 1, readProbability: 1 },
      failNumbers: Object.fromEntries(digits.slice(0, 2).map((p) => [p, 131026])),
      unreadNumbers: digits.slice(2, 5),
    });
    broadcastId = await broadcast('Spring launch', audience.listId);
    otherBroadcastId = await broadcast('Autumn reminder', (await seedList(stack.db, 5)).listId);
    await Promise.all([broadcastCompleted(stack.url, broadcastId), broadcastCompleted(stack.url, otherBroadcastId)]);
    await waitFor(
      async () => {
        const s = (await request(stack.url).get(`/v1/broadcasts/${broadcastId}`).set(bearer())).body.stats;
        return s.delivered === 18 && s.read === 15 && s.failed === 2;
      },
      30_000,
      'the broadcast’s delivery and read receipts',
    );

    // A sequence: step 1 goes at enrolment, step 2 a day later, so everyone waits for step 2.
    const seq = await request(stack.url)
      .post('/v1/sequences')
      .set(bearer())
      .send({
        name: 'Onboarding drip',
        senderId,
        steps: [
          { template: TEMPLATE, delay: 'PT0S' },
          { template: TEMPLATE, delay: 'P1D' },
        ],
      })
      .expect(201);
    sequenceId = seq.body.id;
    const enrolled = await seedList(stack.db, 6);
    await request(stack.url)
      .post(`/v1/sequences/${sequenceId}/enrollments`)
      .set(bearer())
      .send({ contactIds: enrolled.contacts.map((c) => c.id) })
      .expect(202);
    await waitFor(
      async () => {
        const s = (await request(stack.url).get(`/v1/sequences/${sequenceId}`).set(bearer())).body;
        return s.steps[1].waiting === 6 && s.steps[0].stats?.read === 6;
      },
      60_000,
      'step 1 to go out and be read',
    );
  });

  async function broadcast(name: string, listId: number): Promise<number> {
    const res = await request(stack.url)
      .post('/v1/broadcasts')
      .set(bearer())
      .send({ name, senderId, template: TEMPLATE, audience: { listId }, variables: {} })
      .expect(201);
    return res.body.id;
  }

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });
  beforeEach(async () => {
    ({ context, page, errors } = await openPage(browser));
  });
  afterEach(async () => {
    await context.close();
  });

  /** Waits for the page's heading and for its loading states to end. */
  async function settled(title?: string | RegExp): Promise<void> {
    await page.getByRole('heading', { level: 1, ...(title ? { name: title } : {}) }).waitFor();
    await page.waitForFunction(
      () =>
        (globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }).document.querySelectorAll(
          '[role="status"]',
        ).length === 0,
      undefined,
      { timeout: 15_000 },
    );
  }

  async function controlNames(): Promise<string[]> {
    const buttons = await page.getByRole('button').all();
    const links = await page.getByRole('link').all();
    const names: string[] = [];
    for (const el of [...buttons, ...links]) names.push(((await el.getAttribute('aria-label')) ?? (await el.textContent()) ?? '').trim());
    return names;
  }

  async function text(testId: string): Promise<string> {
    return ((await page.getByTestId(testId).first().textContent()) ?? '').trim();
  }

  it('an admin creates an analyst in the console; the analyst sees the completed broadcast with the API’s numbers and nothing to change', async () => {
    await signIn(page, stack.url, ADMIN_EMAIL, ADMIN_PASSWORD);
    await page.goto(`${stack.url}/admin/people`);
    await page.getByRole('button', { name: 'Add a person' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a person' });
    await dialog.getByRole('textbox', { name: 'Name' }).fill(analyst.name);
    await dialog.getByRole('textbox', { name: 'Email' }).fill(analyst.email);
    await dialog.getByRole('textbox', { name: 'Password' }).fill(analyst.password);
    await dialog.getByRole('button', { name: 'Add person' }).click();
    await page.getByTestId('person-row').filter({ hasText: analyst.email }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${stack.url}/sign-in`);

    await signIn(page, stack.url, analyst.email, analyst.password);
    expect(await page.getByTestId('role').textContent()).toBe('analyst');
    const nav = page.getByRole('navigation', { name: 'Main' });
    expect(
      (await nav.getByRole('link').allTextContents()).map((t) => t.trim()).filter((t) => ['People', 'API tokens'].includes(t)),
    ).toEqual([]);

    await page.getByRole('link', { name: 'Broadcasts' }).click();
    await settled('Broadcasts');
    await page.getByRole('link', { name: 'Spring launch' }).click();
    await settled('Spring launch');
    const api = (await request(stack.url).get(`/v1/broadcasts/${broadcastId}`).set(bearer()).expect(200)).body;
    expect(api).toMatchObject({ status: 'completed', stats: { sent: 18, delivered: 18, read: 15, failed: 2 } });
    expect(await page.getByTestId('status').first().textContent()).toBe('completed');
    for (const key of ['sent', 'delivered', 'read', 'replied'] as const) {
      expect(await text(`funnel-${key}-value`)).toBe(api.stats[key].toLocaleString('en-US'));
    }
    expect(await text('stat-failed-value')).toBe(String(api.stats.failed));

    for (const path of ['/', '/broadcasts', `/broadcasts/${broadcastId}`, '/sequences', `/sequences/${sequenceId}`]) {
      await page.goto(`${stack.url}${path}`);
      await settled();
      expect((await controlNames()).filter((n) => CHANGING.test(n))).toEqual([]);
    }
    expect(errors).toEqual([]);
  });

  it('shows a sequence’s steps with each step’s funnel (its broadcast’s figures) and where contacts are now', async () => {
    await request(stack.url)
      .post('/v1/users')
      .set(bearer())
      .send({ ...analyst, email: `seq.${analyst.email}`, role: 'analyst' });
    await signIn(page, stack.url, `seq.${analyst.email}`, analyst.password);
    await page.getByRole('link', { name: 'Sequences' }).click();
    await settled('Sequences');
    const row = page.getByTestId('sequence-row').filter({ hasText: 'Onboarding drip' });
    expect(await row.textContent()).toContain('hello_world → hello_world');
    await row.getByRole('link', { name: 'Onboarding drip' }).click();
    await settled('Onboarding drip');

    const api = (await request(stack.url).get(`/v1/sequences/${sequenceId}`).set(bearer()).expect(200)).body;
    expect(await text('where-step-1-count')).toBe('0');
    expect(await text('where-step-2-count')).toBe('6');
    expect(await text('where-completed-count')).toBe(String(api.enrollments.completed));
    for (const key of ['sent', 'delivered', 'read', 'replied'] as const) {
      expect(await text(`step-1-${key}-value`)).toBe(String(api.steps[0].stats[key]));
      expect(await text(`step-2-${key}-value`)).toBe('0');
    }
    expect(await text('step-1-sent-value')).toBe('6');
    expect(await page.getByTestId('step-2').textContent()).toContain('1 day after WhatsApp accepted the previous step');
    // Each step links to its own broadcast.
    await page.getByRole('link', { name: "Step 1's broadcast" }).click();
    await page.waitForURL(`${stack.url}/broadcasts/${api.steps[0].broadcastId}`);
    expect(errors).toEqual([]);
  });

  it('keeps a deep link and the history’s filters through a reload', async () => {
    await signIn(page, stack.url, ADMIN_EMAIL, ADMIN_PASSWORD);
    await page.goto(`${stack.url}/broadcasts/${broadcastId}`);
    await settled('Spring launch');
    await page.reload();
    await settled('Spring launch');
    expect(page.url()).toBe(`${stack.url}/broadcasts/${broadcastId}`);

    await page.goto(`${stack.url}/broadcasts`);
    await settled('Broadcasts');
    await page.getByRole('textbox', { name: 'Search by name' }).fill('Autumn');
    await page.waitForURL(/q=Autumn/);
    await page.getByRole('combobox', { name: 'Status' }).click();
    await page.getByRole('option', { name: 'completed' }).click();
    await page.waitForURL(/status=completed/);
    await page.keyboard.press('Escape');
    const url = page.url();

    await page.reload();
    await settled('Broadcasts');
    expect(page.url()).toBe(url);
    expect(await page.getByRole('textbox', { name: 'Search by name' }).inputValue()).toBe('Autumn');
    const rows = page.getByTestId('broadcast-row');
    await waitFor(async () => (await rows.count()) === 1, 10_000, 'the filtered history');
    expect(await rows.first().textContent()).toContain('Autumn reminder');

    await page.goto(`${stack.url}/sequences?search=Onboarding`);
    await settled('Sequences');
    await page.reload();
    await settled('Sequences');
    expect(await page.getByRole('textbox', { name: 'Search by name' }).inputValue()).toBe('Onboarding');
    expect(await page.getByTestId('sequence-row').count()).toBe(1);
  });

  it('refuses the analyst’s wrong password, then signs them in and out', async () => {
    const email = `pw.${analyst.email}`;
    await request(stack.url)
      .post('/v1/users')
      .set(bearer())
      .send({ ...analyst, email, role: 'analyst' })
      .expect(201);
    await page.goto(`${stack.url}/sign-in`);
    await page.getByRole('textbox', { name: 'Email' }).fill(email);
    await page.getByRole('textbox', { name: 'Password' }).fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    expect(new URL(page.url()).pathname).toBe('/sign-in');

    await signIn(page, stack.url, email, analyst.password);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${stack.url}/sign-in`);
    expect((await context.request.get(`${stack.url}/v1/auth/me`)).status()).toBe(401);
  });

  it('has one h1, labelled fields and no serious or critical axe finding on every page', async () => {
    const pages: Array<[string, string | RegExp]> = [
      ['/', 'Dashboard'],
      ['/broadcasts', 'Broadcasts'],
      [`/broadcasts/${broadcastId}`, 'Spring launch'],
      [`/compare?ids=${broadcastId},${otherBroadcastId}`, /Compare/],
      ['/sequences', 'Sequences'],
      [`/sequences/${sequenceId}`, 'Onboarding drip'],
      ['/admin/people', 'People'],
      ['/admin/tokens', 'API tokens'],
    ];
    await page.goto(`${stack.url}/sign-in`);
    await settled('Sign in to Clarion');
    await page.getByRole('textbox', { name: 'Email' }).fill(ADMIN_EMAIL);
    await page.getByRole('textbox', { name: 'Password' }).fill(ADMIN_PASSWORD);
    const found: Record<string, string[]> = { '/sign-in': await seriousAxeViolations(page) };
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('signed-in-as').waitFor();

    for (const [path, title] of pages) {
      await page.goto(`${stack.url}${path}`);
      await settled(title);
      expect(await page.getByRole('heading', { level: 1 }).count()).toBe(1);
      // Every form field has a name a screen reader can say.
      const unlabelled = await page.locator('input:not([type=hidden]), select, textarea').evaluateAll((els) => {
        // (The test tsconfig has no DOM library: the browser's types are spelled out.)
        type Field = { id: string; outerHTML: string; getAttribute(name: string): string | null; closest(selector: string): unknown };
        const doc = (globalThis as unknown as { document: { querySelector(selector: string): unknown } }).document;
        return (els as unknown as Field[])
          .filter((el) => {
            const byFor = el.id ? doc.querySelector(`label[for="${el.id}"]`) : null;
            return !byFor && !el.closest('label') && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby');
          })
          .map((el) => el.outerHTML.slice(0, 120));
      });
      expect({ path, unlabelled }).toEqual({ path, unlabelled: [] });
      found[path] = await seriousAxeViolations(page);
    }
    expect(Object.entries(found).filter(([, v]) => v.length > 0)).toEqual([]);
    expect(errors).toEqual([]);
  });
});
