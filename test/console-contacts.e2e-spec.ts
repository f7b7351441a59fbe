import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import request from 'supertest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { bearer } from './support/apps';
import { approveDemoTemplates, broadcastCompleted, createSender, seedList, type SeededAudience } from './support/broadcast-fixtures';
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

/**
 * The contacts pages in headless Chromium against the built API, a worker and the sandbox: search
 * by a phone spelled another way, a filter and a bulk tag on every match, the opt-out switch and
 * the export, each checked against the API.
 */
describe('Console: contacts (browser e2e)', () => {
  let stack: ConsoleStack;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  let audience: SeededAudience;
  let gold: number[];
  let broadcastName: string;
  const run = Date.now().toString(36);
  const marketer = { email: 'mark@console.test', password: 'marketer-password-1' };
  const analyst = { email: 'ana@console.test', password: 'analyst-password-1' };

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startConsoleStack(), launchBrowser()]);
    await approveDemoTemplates(stack.db);
    await stack.startWorker();
    await addPerson(stack.url, marketer, 'marketer');
    await addPerson(stack.url, analyst, 'analyst');
    audience = await seedList(stack.db, 24, (i) => ({
      name: `Person ${i}`,
      attributes: { plan: i % 4 === 0 ? 'gold' : 'free', city: 'Berlin' },
    }));
    gold = audience.contacts.filter((_, i) => i % 4 === 0).map((c) => c.id);
    // Gold contacts outside the list: the filter must leave them alone.
    await seedList(stack.db, 4, () => ({ attributes: { plan: 'gold' } }));
    const sender = await createSender(stack.url);
    broadcastName = `Welcome ${run}`;
    const created = await request(stack.url)
      .post('/v1/broadcasts')
      .set(bearer())
      .send({
        name: broadcastName,
        senderId: sender.id,
        template: { name: 'hello_world', language: 'en_US' },
        audience: { listId: audience.listId },
        variables: {},
      })
      .expect(201);
    await broadcastCompleted(stack.url, created.body.id);
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });
  beforeEach(async () => {
    ({ context, page, errors } = await openPage(browser, { acceptDownloads: true, viewport: { width: 1280, height: 900 } }));
  });
  afterEach(async () => {
    await context.close();
  });

  const contactApi = async (id: number) => (await request(stack.url).get(`/v1/contacts/${id}`).set(bearer()).expect(200)).body;
  const rowPhones = () => page.getByTestId('contact-phone').allTextContents();
  const openContacts = async (query = '') => {
    await page.goto(`${stack.url}/contacts${query}`);
    await page.getByRole('heading', { level: 1, name: 'Contacts' }).waitFor();
    await page.getByTestId('contact-row').first().waitFor();
  };

  it('finds a contact by its phone spelled another way (national, with spaces and dashes), and keeps the search in the URL', async () => {
    await signIn(page, stack.url, marketer.email, marketer.password);
    await page.getByRole('link', { name: 'Contacts', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Contacts' }).waitFor();
    const target = audience.contacts[5].phone; // +49151BBBB0005
    const national = `0${target.slice(3, 6)} ${target.slice(6, 10)}-${target.slice(10)}`;
    await page.getByRole('textbox', { name: 'Search by name or phone' }).fill(national);
    await page.waitForURL(/q=/);
    await waitFor(async () => ((await rowPhones()).join() === target ? true : undefined), 10_000, 'the one contact');
    const api = await request(stack.url).get('/v1/contacts').query({ search: national }).set(bearer()).expect(200);
    expect(api.body.data.map((c: { phone: string }) => c.phone)).toEqual([target]);

    await page.reload();
    await page.getByTestId('contact-row').first().waitFor();
    expect(await rowPhones()).toEqual([target]);
    expect(await page.getByRole('textbox', { name: 'Search by name or phone' }).inputValue()).toBe(national);
    expect(errors).toEqual([]);
  });

  it('a filter, then a tag on every contact it matches: exactly those are tagged, and the export holds exactly them', async () => {
    await signIn(page, stack.url, marketer.email, marketer.password);
    await openContacts(`?list=${audience.listId}&attr=plan=gold`);
    await waitFor(async () => ((await page.getByTestId('contact-row').count()) === gold.length ? true : undefined), 10_000, 'gold rows');
    expect(await seriousAxeViolations(page)).toEqual([]);

    const tag = `vip-${run}`;
    await page.getByText('All matching the filters').click();
    await page.getByRole('button', { name: 'Add tag' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add tag' });
    await dialog.getByRole('textbox', { name: 'Tag name' }).fill(tag);
    const [answer] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/v1/contacts/bulk')),
      dialog.getByRole('button', { name: 'Apply' }).click(),
    ]);
    expect(await answer.json()).toEqual({ matched: gold.length });
    const tagged = await request(stack.url).get('/v1/contacts').query({ tag, limit: 1000 }).set(bearer()).expect(200);
    expect(tagged.body.data.map((c: { id: number }) => c.id).sort((a: number, b: number) => a - b)).toEqual(gold);

    // Export: the same filter, as a file.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Export CSV' }).click()]);
    const lines = (await readFile(await download.path())).toString('utf8').trim().split(/\r?\n/);
    expect(lines[0]).toMatch(/^id,phone,name,country,optedOut,tags,listIds,createdAt/);
    expect(lines.slice(1).map((l) => Number(l.split(',')[0]))).toEqual(gold);
    expect(lines.slice(1).every((l) => l.includes(tag))).toBe(true);
    if (process.env.CONSOLE_SCREENSHOTS_DIR) {
      await page.goto(`${stack.url}/contacts?list=${audience.listId}`);
      await page.getByTestId('contact-row').first().waitFor();
      await page.getByRole('checkbox', { name: `Select ${audience.contacts[1].phone}` }).check();
      await page.getByRole('checkbox', { name: `Select ${audience.contacts[2].phone}` }).check();
      await page.mouse.move(0, 0);
      await page.evaluate('window.scrollTo(0, 0)');
      await page.screenshot({ path: join(process.env.CONSOLE_SCREENSHOTS_DIR, 'console-contacts.png') });
    }
    expect(errors).toEqual([]);
  });

  it("the contact page's opt-out switch changes what the API says, both ways; it lists the broadcast it received", async () => {
    const contact = audience.contacts[3];
    await signIn(page, stack.url, marketer.email, marketer.password);
    await page.goto(`${stack.url}/contacts/${contact.id}`);
    await page.getByRole('heading', { level: 1, name: `Person 3 · ${contact.phone}` }).waitFor();
    await page.getByTestId('message-row').first().waitFor();
    expect(await page.getByTestId('message-row').allTextContents()).toEqual([expect.stringContaining(broadcastName)]);
    const apiMessages = (await request(stack.url).get(`/v1/contacts/${contact.id}/messages`).set(bearer()).expect(200)).body.data;
    expect(await page.getByTestId('message-status').allTextContents()).toEqual(apiMessages.map((m: { status: string }) => m.status));
    expect(await seriousAxeViolations(page)).toEqual([]);

    const toggle = page.getByRole('switch', { name: /Opted out/ });
    expect(await toggle.isChecked()).toBe(false);
    await toggle.click({ force: true });
    await page.getByTestId('opt-out-state').filter({ hasText: 'opted out' }).waitFor();
    expect(await contactApi(contact.id)).toMatchObject({ optedOut: true });
    expect((await contactApi(contact.id)).optedOutAt).not.toBeNull();
    await toggle.click({ force: true });
    await page.getByTestId('opt-out-state').filter({ hasText: 'can be messaged' }).waitFor();
    expect(await contactApi(contact.id)).toMatchObject({ optedOut: false });
    expect(errors).toEqual([]);
  });

  it('an analyst reads contacts but is offered no bulk action, selection, export or opt-out switch', async () => {
    await signIn(page, stack.url, analyst.email, analyst.password);
    await openContacts(`?list=${audience.listId}`);
    expect(await page.getByTestId('contact-row').count()).toBe(audience.contacts.length);
    expect(await page.getByRole('checkbox').count()).toBe(0);
    for (const name of ['Add tag', 'Remove tag', 'Set attribute', 'Unset attribute', 'Add to list', 'Delete contacts'])
      expect(await page.getByRole('button', { name }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Export CSV' }).count()).toBe(0);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.getByTestId('contact-phone').first().click();
    await page.getByTestId('opt-out-state').waitFor();
    expect(await page.getByRole('switch').count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
