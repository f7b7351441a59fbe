import { join } from 'node:path';
import request from 'supertest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { bearer } from './support/apps';
import { approveDemoTemplates, broadcastCompleted, createSender, seedList } from './support/broadcast-fixtures';
import {
  addPerson,
  type ConsoleStack,
  launchBrowser,
  openPage,
  seriousAxeViolations,
  signIn,
  startConsoleStack,
} from './support/console-stack';
import { waitFor } from './support/processes';

const TEMPLATE = { name: 'hello_world', language: 'en_US' };
const CONTROLS = /^(Pause|Resume|Cancel broadcast|Retry failed|Delete)$/;
// Four messages a second: a broadcast of a few dozen lasts long enough to be paused from a page.
const SLOW_MPS = 4;

/**
 * The broadcast page's controls in headless Chromium against the built API, a worker and the
 * sandbox: what a marketer's pause, resume and cancel do is counted where the messages arrive (the
 * sandbox's ledger), and an analyst is offered none of them.
 */
describe('Console: broadcast controls (browser e2e)', () => {
  let stack: ConsoleStack;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  const marketer = { email: 'mark@console.test', password: 'marketer-password-1' };
  const analyst = { email: 'ana@console.test', password: 'analyst-password-1' };

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startConsoleStack(), launchBrowser()]);
    await approveDemoTemplates(stack.db);
    await stack.startWorker();
    await addPerson(stack.url, marketer, 'marketer');
    await addPerson(stack.url, analyst, 'analyst');
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });
  beforeEach(async () => {
    ({ context, page, errors } = await openPage(browser, { viewport: { width: 1280, height: 800 } }));
  });
  afterEach(async () => {
    await context.close();
  });

  const details = async (id: number) => (await request(stack.url).get(`/v1/broadcasts/${id}`).set(bearer()).expect(200)).body;
  const sentCount = async (phoneNumberId: string) => (await stack.sandbox.ledger(phoneNumberId)).length;
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  let created = 0;
  async function createBroadcast(fields: { senderId: number; listId: number; scheduledAt?: string; draft?: boolean }): Promise<number> {
    const { senderId, listId, ...rest } = fields;
    const res = await request(stack.url)
      .post('/v1/broadcasts')
      .set(bearer())
      .send({ name: `Spring sale #${++created}`, senderId, template: TEMPLATE, audience: { listId }, variables: {}, ...rest })
      .expect(201);
    return res.body.id;
  }

  /** A slow broadcast that has sent a few messages (the sandbox has them) and is still running. */
  async function sendingBroadcast(size: number) {
    const sender = await createSender(stack.url, { throughputMps: SLOW_MPS });
    const audience = await seedList(stack.db, size);
    const id = await createBroadcast({ senderId: sender.id, listId: audience.listId });
    await waitFor(async () => ((await sentCount(sender.phoneNumberId)) >= SLOW_MPS ? true : undefined), 15_000, 'the first sends');
    return { id, sender, audience };
  }

  async function openBroadcast(id: number, who: { email: string; password: string }) {
    await signIn(page, stack.url, who.email, who.password);
    await page.goto(`${stack.url}/broadcasts/${id}`);
    await page.getByRole('heading', { level: 1 }).waitFor();
  }

  const shownStatus = async () => (await page.getByRole('main').getByTestId('status').first().textContent())?.trim();
  const untilShown = (status: string) => waitFor(async () => ((await shownStatus()) === status ? true : undefined), 10_000, status);

  it('pause from the page: nothing more reaches WhatsApp; what is left is shown; resume sends each recipient exactly once', async () => {
    const SIZE = 40;
    const { id, sender, audience } = await sendingBroadcast(SIZE);
    await openBroadcast(id, marketer);
    await untilShown('running');

    const [pauseAnswer] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith(`/v1/broadcasts/${id}/pause`) && r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Pause', exact: true }).click(),
    ]);
    expect(pauseAnswer.status()).toBe(200);
    const pausedAt = Date.now();
    // The contract's second: a batch already handed to WhatsApp may land within it, nothing after.
    await sleep(1_000);
    const atPause = await sentCount(sender.phoneNumberId);
    await sleep(1_500);
    const ledger = await stack.sandbox.ledger(sender.phoneNumberId);
    expect(ledger).toHaveLength(atPause);
    expect(ledger.filter((e) => e.acceptedAt > pausedAt + 1_000)).toEqual([]);
    expect(atPause).toBeLessThan(SIZE);

    // The page shows the paused state and what is left, as the API counts it.
    await untilShown('paused');
    const paused = await details(id);
    expect(paused.status).toBe('paused');
    await waitFor(
      async () =>
        (await page.getByTestId('paused-remaining').textContent())?.trim() === `${paused.stats.queued} of ${SIZE} left to send`
          ? true
          : undefined,
      10_000,
      'the remaining count',
    );
    expect(paused.stats.queued).toBe(SIZE - atPause);
    expect(await page.getByRole('button', { name: 'Pause', exact: true }).count()).toBe(0);
    // Judged at rest: the pointer left on Pause would hover Resume, which took its place.
    await page.mouse.move(0, 0);
    expect(await seriousAxeViolations(page)).toEqual([]);
    // docs/console-controls.png comes from here (CONSOLE_SCREENSHOTS_DIR=docs).
    if (process.env.CONSOLE_SCREENSHOTS_DIR)
      await page.screenshot({ path: join(process.env.CONSOLE_SCREENSHOTS_DIR, 'console-controls.png'), fullPage: false });

    await page.getByRole('button', { name: 'Resume' }).click();
    await untilShown('running');
    await broadcastCompleted(stack.url, id, 60_000);
    await untilShown('completed');
    const sentTo = (await stack.sandbox.ledger(sender.phoneNumberId)).map((e) => `+${e.to.replace(/^\+/, '')}`).sort();
    expect(sentTo).toEqual(audience.contacts.map((c) => c.phone).sort());
    expect(await page.getByRole('main').getByRole('button', { name: CONTROLS }).count()).toBe(0);
    expect(errors).toEqual([]);
  }, 120_000);

  it('cancel from the page asks first; once confirmed nothing more is sent and the unsent end cancelled', async () => {
    // Large enough to be still sending after sign-in, axe and a dialog on a loaded machine.
    const SIZE = 400;
    const { id, sender } = await sendingBroadcast(SIZE);
    await openBroadcast(id, marketer);
    await untilShown('running');

    await page.getByRole('button', { name: 'Cancel broadcast' }).click();
    const dialog = page.getByRole('dialog', { name: 'Cancel this broadcast?' });
    await dialog.waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    // Keeping it changes nothing.
    await dialog.getByRole('button', { name: 'Keep sending' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect((await details(id)).status).toBe('running');

    await page.getByRole('button', { name: 'Cancel broadcast' }).click();
    const [cancelAnswer] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith(`/v1/broadcasts/${id}/cancel`)),
      page.getByRole('dialog', { name: 'Cancel this broadcast?' }).getByRole('button', { name: 'Yes, cancel it' }).click(),
    ]);
    expect(cancelAnswer.status()).toBe(200);
    const cancelledAt = Date.now();
    await sleep(1_000);
    const atCancel = await sentCount(sender.phoneNumberId);
    await sleep(1_500);
    const ledger = await stack.sandbox.ledger(sender.phoneNumberId);
    expect(ledger).toHaveLength(atCancel);
    expect(ledger.filter((e) => e.acceptedAt > cancelledAt + 1_000)).toEqual([]);
    await untilShown('cancelled');
    const b = await waitFor(
      async () => {
        const d = await details(id);
        return d.stats.queued === 0 ? d : undefined;
      },
      20_000,
      'nothing left queued',
    );
    expect(b.status).toBe('cancelled');
    expect(b.stats.cancelled).toBe(SIZE - atCancel);
    expect(await page.getByRole('main').getByRole('button', { name: CONTROLS }).count()).toBe(0);
    expect(errors).toEqual([]);
  }, 120_000);

  it('a scheduled broadcast is cancelled from the page, and a draft deleted, neither sending anything', async () => {
    const sender = await createSender(stack.url);
    const audience = await seedList(stack.db, 5);
    const inAnHour = new Date(Date.now() + 3_600_000).toISOString();
    const scheduledId = await createBroadcast({ senderId: sender.id, listId: audience.listId, scheduledAt: inAnHour });
    await openBroadcast(scheduledId, marketer);
    await untilShown('scheduled');
    await page.getByRole('button', { name: 'Cancel broadcast' }).click();
    await page.getByRole('dialog', { name: 'Cancel this broadcast?' }).getByRole('button', { name: 'Yes, cancel it' }).click();
    await untilShown('cancelled');
    expect((await details(scheduledId)).status).toBe('cancelled');

    const draftId = await createBroadcast({ senderId: sender.id, listId: audience.listId, draft: true });
    await page.goto(`${stack.url}/broadcasts/${draftId}`);
    await untilShown('draft');
    expect(await page.getByRole('button', { name: 'Cancel broadcast' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('dialog', { name: 'Delete this broadcast?' }).getByRole('button', { name: 'Yes, delete it' }).click();
    await page.waitForURL(`${stack.url}/broadcasts`);
    expect((await request(stack.url).get(`/v1/broadcasts/${draftId}`).set(bearer())).status).toBe(404);
    expect(await sentCount(sender.phoneNumberId)).toBe(0);
    expect(errors).toEqual([]);
  }, 60_000);

  it('an analyst sees none of the controls on a paused or a scheduled broadcast, only what is left (a marketer sees them there)', async () => {
    const { id: pausedId } = await sendingBroadcast(30);
    await request(stack.url).post(`/v1/broadcasts/${pausedId}/pause`).set(bearer()).send({}).expect(200);
    const sender = await createSender(stack.url);
    const audience = await seedList(stack.db, 3);
    const scheduledId = await createBroadcast({
      senderId: sender.id,
      listId: audience.listId,
      scheduledAt: new Date(Date.now() + 3_600_000).toISOString(),
    });

    const controlsOn = async (id: number, status: string) => {
      await page.goto(`${stack.url}/broadcasts/${id}`);
      await untilShown(status);
      return (await page.getByRole('main').getByRole('button', { name: CONTROLS }).allTextContents()).sort();
    };
    await signIn(page, stack.url, marketer.email, marketer.password);
    expect(await controlsOn(pausedId, 'paused')).toEqual(['Cancel broadcast', 'Resume']);
    expect(await controlsOn(scheduledId, 'scheduled')).toEqual(['Cancel broadcast', 'Delete']);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/sign-in/);
    await signIn(page, stack.url, analyst.email, analyst.password);
    expect(await controlsOn(pausedId, 'paused')).toEqual([]);
    expect(await page.getByTestId('paused-remaining').count()).toBe(1);
    expect(await controlsOn(scheduledId, 'scheduled')).toEqual([]);
    expect(errors).toEqual([]);
  }, 90_000);
});
