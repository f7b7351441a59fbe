import type { Browser, BrowserContext, Page } from 'playwright-core';
import request from 'supertest';
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

type Sent = { to: string; params: Array<{ type: string; parameters: Array<{ text?: string }> }> };

/**
 * A marketer composes a broadcast in the console (sender, approved template, list audience,
 * variables with a fallback), checks the server's count and a real contact's preview, test-sends,
 * sends and watches it complete; edits a scheduled one; an analyst gets none of it.
 */
describe('Console: broadcast composer (browser e2e)', () => {
  let stack: ConsoleStack;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  let sender: { id: number; phoneNumberId: string };
  let audience: Awaited<ReturnType<typeof seedList>>;
  let listName: string;
  const marketer = { email: 'marketer@console.test', password: 'marketer-password-1' };
  const analyst = { email: 'analyst@console.test', password: 'analyst-password-1' };
  const CITIES = ['Pune', 'Mumbai', 'Delhi', undefined, undefined];
  const variables = { '1': '{{name|there}}', '2': 'to {{city|your city}}' };

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startConsoleStack(), launchBrowser()]);
    await approveDemoTemplates(stack.db);
    sender = await createSender(stack.url, { throughputMps: 50 });
    await stack.startWorker();
    await stack.sandbox.configure({ statuses: { deliveredProbability: 1, readProbability: 1 } });
    // Five who may be messaged (three with a city, two without), and one who opted out.
    audience = await seedList(stack.db, CITIES.length + 1, (i) => ({
      name: `Customer ${String.fromCharCode(65 + i)}`,
      attributes: (CITIES[i] ? { city: CITIES[i] } : { plan: 'basic' }) as Record<string, string>,
      optedOut: i === CITIES.length,
    }));
    const [list] = (await stack.db.query('SELECT name FROM contact_lists WHERE id = ?', [audience.listId])) as Array<{ name: string }>;
    listName = list.name;
    await addPerson(stack.url, marketer, 'marketer');
    await addPerson(stack.url, analyst, 'analyst');
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });
  beforeEach(async () => {
    ({ context, page, errors } = await openPage(browser, { timezoneId: 'Asia/Kolkata' }));
  });
  afterEach(() => context.close());

  const choose = async (label: string, option: string | RegExp) => {
    await page.getByRole('combobox', { name: label }).click();
    await page.getByRole('option', { name: option }).click();
  };
  const text = async (testId: string) => (await page.getByTestId(testId).textContent())?.trim();
  const sentBy = async () => (await stack.sandbox.ledger(sender.phoneNumberId)) as unknown as Sent[];

  it('composes to a list with a fallback variable, counts as the dry run does, previews, test-sends and sends once to each eligible contact', async () => {
    const dryRun = (
      await request(stack.url)
        .post('/v1/broadcasts/dry-run')
        .set(bearer())
        .send({
          name: 'x',
          senderId: sender.id,
          template: { name: 'order_update', language: 'en_US' },
          audience: { listId: audience.listId },
          variables,
        })
        .expect(200)
    ).body;
    expect(dryRun).toMatchObject({ total: 6, wouldSend: 5, skipped: 1, skippedByReason: { opted_out: 1 } });

    await signIn(page, stack.url, marketer.email, marketer.password);
    await page.getByRole('link', { name: 'Broadcasts' }).click();
    await page.getByRole('link', { name: 'New broadcast' }).click();
    await page.getByRole('heading', { level: 1, name: 'New broadcast' }).waitFor();
    await page.getByRole('textbox', { name: 'Broadcast name' }).fill('Composer sale');
    await choose('Sender', new RegExp(sender.phoneNumberId));
    await choose('Template', /^order_update · en_US/);
    await choose('Contact list', listName);
    await page.getByRole('textbox', { name: 'Variable {{1}}' }).fill(variables['1']);
    await page.getByRole('textbox', { name: 'Variable {{2}}' }).fill(variables['2']);

    // The count is the server's: the same figures as the API's dry run.
    await page.getByTestId('count-eligible-value').getByText(String(dryRun.wouldSend), { exact: true }).waitFor();
    expect(await text('count-total-value')).toBe(String(dryRun.total));
    expect(await text('count-skipped-value')).toBe(String(dryRun.skipped));
    expect(await text('count-skipped-reasons')).toBe('Skipped: 1 opted out');
    expect(await text('quota-check')).toMatch(/no messaging limit.*50 msg\/s/);

    // The preview is the server's rendering for a real contact, one after another.
    const first = dryRun.samples[0];
    expect(await text('preview-contact')).toBe(`${first.name} · ${first.phone}`);
    expect(await text('bubble-body')).toBe('Hi Customer A, your order to Pune has shipped.');
    await page.getByRole('button', { name: 'Next contact' }).click();
    await page.getByTestId('preview-contact').getByText(dryRun.samples[1].name).waitFor();
    // A contact searched by phone: one without a city gets the fallback.
    await page.getByRole('textbox', { name: 'Preview for a contact' }).fill(audience.contacts[4].phone);
    await page.getByRole('button', { name: 'Find' }).click();
    await page.getByTestId('bubble-body').getByText('Hi Customer E, your order to your city has shipped.').waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);

    // Test sends: to a number no contact has (it arrives), and to the opted-out contact (refused, said so).
    const testNumber = '+14155550123';
    await page.getByRole('textbox', { name: 'Test number' }).fill(testNumber);
    await page.getByRole('button', { name: 'Send a test' }).click();
    await page.getByTestId('test-send-result').waitFor();
    expect((await sentBy()).map((s) => s.to.replace(/^\+?/, '+'))).toEqual([testNumber]);
    await page.getByRole('textbox', { name: 'Test number' }).fill(audience.contacts[5].phone);
    await page.getByRole('button', { name: 'Send a test' }).click();
    const refused = page.getByTestId('test-send-error');
    await refused.getByText('Refused: this number cannot be messaged').waitFor();
    expect(await refused.textContent()).toMatch(/opted out/);

    await page.getByRole('button', { name: 'Review and send' }).click();
    const dialog = page.getByRole('dialog', { name: 'Send this broadcast?' });
    expect(await dialog.getByTestId('confirm-summary').textContent()).toMatch(
      /Composer sale to 5 recipients \(1 skipped\)\..*Estimated cost: \$0\.28.*Starts now\./,
    );
    expect(await seriousAxeViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Send now' }).click();
    await page.waitForURL(/\/broadcasts\/\d+$/);
    const id = Number(new URL(page.url()).pathname.split('/').pop());
    await broadcastCompleted(stack.url, id, 30_000);
    await page.getByRole('heading', { level: 1, name: 'Composer sale' }).waitFor();
    await page.getByText('completed', { exact: true }).first().waitFor({ timeout: 15_000 });

    // Exactly one message per eligible contact, each with its own text (the fallback where the city is missing).
    const sent = await waitFor(
      async () => {
        const all = (await sentBy()).filter((s) => s.to.replace(/^\+?/, '+') !== testNumber);
        return all.length >= 5 ? all : undefined;
      },
      15_000,
      'five messages in the sandbox',
    );
    const bodyOf = (s: Sent) => s.params.find((p) => p.type === 'body')!.parameters.map((p) => p.text);
    expect(Object.fromEntries(sent.map((s) => [s.to.replace(/^\+?/, '+'), bodyOf(s)]))).toEqual(
      Object.fromEntries(
        audience.contacts
          .slice(0, 5)
          .map((c, i) => [c.phone, [`Customer ${String.fromCharCode(65 + i)}`, `to ${CITIES[i] ?? 'your city'}`]]),
      ),
    );
    expect(sent).toHaveLength(5);
    expect(errors.filter((e) => !/status of 409/.test(e))).toEqual([]);
  });

  it('edits a scheduled broadcast: a new name and time, read back from the API', async () => {
    const scheduled = (
      await request(stack.url)
        .post('/v1/broadcasts')
        .set(bearer())
        .send({
          name: 'Scheduled one',
          senderId: sender.id,
          template: { name: 'order_update', language: 'en_US' },
          audience: { listId: audience.listId },
          variables,
          scheduledAt: '2099-06-01T03:30:00Z',
          timezone: 'Asia/Kolkata',
        })
        .expect(201)
    ).body;
    await signIn(page, stack.url, marketer.email, marketer.password);
    await page.goto(`${stack.url}/broadcasts/${scheduled.id}`);
    await page.getByRole('link', { name: 'Edit' }).click();
    await page.getByRole('heading', { level: 1, name: 'Edit Scheduled one' }).waitFor();
    expect(await page.getByRole('textbox', { name: 'Time' }).inputValue()).toBe('09:00');
    await page.getByRole('textbox', { name: 'Broadcast name' }).fill('Scheduled, renamed');
    await page.getByRole('textbox', { name: 'Time' }).fill('18:45');
    await page
      .getByTestId('schedule-instant')
      .getByText(/1 Jun 2099, 18:45 Asia\/Kolkata \(UTC\+05:30\)/)
      .waitFor();
    await page.getByTestId('count-eligible-value').getByText('5', { exact: true }).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Review and save' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Save changes' }).click();
    await page.waitForURL(`${stack.url}/broadcasts/${scheduled.id}`);
    const saved = (await request(stack.url).get(`/v1/broadcasts/${scheduled.id}`).set(bearer()).expect(200)).body;
    expect(saved).toMatchObject({
      name: 'Scheduled, renamed',
      status: 'scheduled',
      scheduledAt: '2099-06-01T13:15:00.000Z',
      timezone: 'Asia/Kolkata',
    });

    // Copy: a draft with the same settings, opened for editing (nothing goes before it is saved).
    await page.getByRole('heading', { level: 1, name: 'Scheduled, renamed' }).waitFor();
    await page.getByRole('button', { name: 'Copy' }).click();
    await page.waitForURL(/\/broadcasts\/\d+\/edit$/);
    const copyId = Number(new URL(page.url()).pathname.split('/')[2]);
    expect(copyId).not.toBe(scheduled.id);
    await page.getByRole('heading', { level: 1, name: 'Edit Scheduled, renamed (copy)' }).waitFor();
    const copy = (await request(stack.url).get(`/v1/broadcasts/${copyId}`).set(bearer()).expect(200)).body;
    expect(copy).toMatchObject({ status: 'draft', copiedFromId: scheduled.id, variables });
    expect(errors).toEqual([]);
  });

  it('refuses an analyst the composer, and shows no New, Edit or Copy', async () => {
    const draft = (
      await request(stack.url)
        .post('/v1/broadcasts')
        .set(bearer())
        .send({
          name: 'A draft',
          senderId: sender.id,
          template: { name: 'hello_world', language: 'en_US' },
          audience: { listId: audience.listId },
          draft: true,
        })
        .expect(201)
    ).body;
    await signIn(page, stack.url, analyst.email, analyst.password);
    await page.goto(`${stack.url}/broadcasts/new`);
    await page.waitForURL(`${stack.url}/`);
    await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
    expect(await page.getByRole('link', { name: 'New broadcast' }).count()).toBe(0);
    await page.goto(`${stack.url}/broadcasts`);
    await page.getByRole('heading', { level: 1, name: 'Broadcasts' }).waitFor();
    expect(await page.getByRole('link', { name: 'New broadcast' }).count()).toBe(0);
    await page.goto(`${stack.url}/broadcasts/${draft.id}`);
    await page.getByRole('heading', { level: 1, name: 'A draft' }).waitFor();
    expect(await page.getByRole('link', { name: 'Edit' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Copy' }).count()).toBe(0);
    await page.goto(`${stack.url}/broadcasts/${draft.id}/edit`);
    await page.waitForURL(`${stack.url}/`);
  });
});
