import { mkdir } from 'node:fs/promises';
import { randomInt } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import request from 'supertest';
import { bearer } from './support/apps';
import { createSender, seedList } from './support/broadcast-fixtures';
import { waitFor } from './support/processes';
import { ConsoleStack, launchBrowser, openPage, seriousAxeViolations, signIn, startConsoleStack } from './support/console-stack';

/**
 * A marketer builds a drip sequence in the console, enrols a list and pauses it (headless
 * Chromium against the built API, a worker and the sandbox); an analyst sees none of it.
 */
describe('Console: sequence builder (browser e2e)', () => {
  let stack: ConsoleStack;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  let sender: { id: number; phoneNumberId: string };
  const marketer = { name: 'Mara Keter', email: `mara.${Date.now()}@console.test`, password: 'marketer-password-42', role: 'marketer' };
  const analyst = { name: 'Ana Lyst', email: `ana.${Date.now()}@console.test`, password: 'analyst-password-42', role: 'analyst' };

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startConsoleStack({ SEQUENCE_TICK_MS: '300' }), launchBrowser()]);
    await stack.startWorker();
    sender = await createSender(stack.url, { wabaId: `waba${randomInt(1e9)}` });
    // The sandbox's registry: its templates become the WABA's, APPROVED.
    await request(stack.url).post(`/v1/senders/${sender.id}/templates/sync`).set(bearer()).expect(200);
    for (const person of [marketer, analyst]) await request(stack.url).post('/v1/users').set(bearer()).send(person).expect(201);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });
  beforeEach(async () => {
    ({ context, page, errors } = await openPage(browser));
  });
  afterEach(() => context.close());

  const pick = async (label: string | RegExp, option: string | RegExp, type?: string) => {
    const box = page.getByRole('combobox', { name: label }).first();
    await box.click();
    if (type) await box.fill(type);
    await page.getByRole('option', { name: option }).first().click();
  };
  const api = async (path: string) => (await request(stack.url).get(path).set(bearer()).expect(200)).body;

  it('stores a sequence built in the UI as entered, enrols a list that gets step 1, and pauses and resumes it', async () => {
    const audience = await seedList(stack.db, 3);
    const listName = (
      (await stack.db.query('SELECT name FROM contact_lists WHERE id = ?', [audience.listId])) as Array<{ name: string }>
    )[0].name;
    await signIn(page, stack.url, marketer.email, marketer.password);
    await page.getByRole('link', { name: 'Sequences' }).click();
    await page.getByRole('link', { name: 'New sequence' }).click();
    await page.getByRole('heading', { level: 1, name: 'New sequence' }).waitFor();

    const name = `Welcome drip ${randomInt(1e6)}`;
    await page.getByRole('textbox', { name: 'Name' }).fill(name);
    await pick('Sender', `sender ${sender.phoneNumberId} (${sender.phoneNumberId})`);
    await pick('Step 1 template', 'order_update (en_US)');
    await page.getByRole('textbox', { name: 'Step 1 variable {{1}}' }).fill('{{name|there}}');
    await page.getByRole('textbox', { name: 'Step 1 variable {{2}}' }).fill('{{order|your order}}');
    expect(await page.getByTestId('builder-step-1-when').textContent()).toBe('Sent at enrolment');

    await page.getByRole('button', { name: 'Add a step' }).click();
    await pick('Step 2 template', 'hello_world (en_US)');
    await page.getByRole('textbox', { name: 'Step 2 delay', exact: true }).fill('2');
    await pick('Step 2 delay unit', 'days');
    expect(await page.getByTestId('builder-step-2-when').textContent()).toBe('Sent 2 days after the previous step');

    // A window covering every hour of every day, so step 1 goes at once whatever the clock says.
    await page.getByRole('switch', { name: 'Send only inside a window' }).check();
    for (const day of ['Saturday', 'Sunday']) await page.getByRole('checkbox', { name: day }).check();
    await pick('From', '00:00');
    await pick('To', '24:00');
    await pick('Time zone', 'Asia/Kolkata', 'Kolkata');
    await page.getByRole('switch', { name: "Stop a contact's run when they reply" }).uncheck();
    await page.mouse.move(0, 0);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.evaluate('window.scrollTo(0, 0)');
    await mkdir('var/screenshots', { recursive: true });
    await page.screenshot({ path: 'var/screenshots/console-sequence-builder.png', fullPage: true });

    await page.getByRole('button', { name: 'Create sequence' }).click();
    await page.getByRole('heading', { level: 1, name }).waitFor();
    const sequenceId = Number(new URL(page.url()).pathname.split('/').pop());
    const stored = await api(`/v1/sequences/${sequenceId}`);
    expect(stored).toMatchObject({
      name,
      senderId: sender.id,
      status: 'active',
      window: { days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], from: '00:00', to: '24:00' },
      timezone: 'Asia/Kolkata',
      stopOnReply: false,
    });
    expect(stored.steps.map((s: Record<string, unknown>) => ({ template: s.template, variables: s.variables, delay: s.delay }))).toEqual([
      {
        template: { name: 'order_update', language: 'en_US' },
        variables: { '1': '{{name|there}}', '2': '{{order|your order}}' },
        delay: 'PT0S',
      },
      { template: { name: 'hello_world', language: 'en_US' }, variables: {}, delay: 'P2D' },
    ]);

    // Enrol the list: the sandbox receives step 1 for each of its contacts.
    await pick('List', `${listName} (3)`);
    await page.getByRole('button', { name: 'Enrol', exact: true }).click();
    await page.getByTestId('enrol-result').getByText('Enrolled 3.').waitFor();
    const phones = audience.contacts.map((c) => c.phone).sort();
    const received = await waitFor(
      async () => {
        const ledger = await stack.sandbox.ledger(sender.phoneNumberId);
        return ledger.length >= phones.length ? ledger : undefined;
      },
      30_000,
      'step 1 at the sandbox for every contact of the list',
    );
    expect(received.map((m) => m.to).sort()).toEqual(phones);
    expect((await api(`/v1/sequences/${sequenceId}`)).enrollments.active).toBe(3);
    // Everyone now waits for step 2, two days on: the timeline shows the API's counts.
    const upcoming = await api(`/v1/sequences/${sequenceId}/upcoming?days=7`);
    expect(upcoming.total).toBe(3);
    expect(upcoming.data.every((d: { step: number }) => d.step === 2)).toBe(true);
    await waitFor(
      async () => {
        const totals = await page.getByTestId('upcoming-row-total').allTextContents();
        return totals.reduce((n, t) => n + Number(t), 0) === upcoming.total || undefined;
      },
      20_000,
      'the timeline to show the three step 2 sends',
    );
    await page.mouse.move(0, 0);
    expect(await seriousAxeViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Pause sequence' }).click();
    await page.getByRole('button', { name: 'Resume sequence' }).waitFor();
    expect((await api(`/v1/sequences/${sequenceId}`)).status).toBe('paused');
    await page.getByRole('button', { name: 'Resume sequence' }).click();
    await page.getByRole('button', { name: 'Pause sequence' }).waitFor();
    expect((await api(`/v1/sequences/${sequenceId}`)).status).toBe('active');

    // Editing keeps what was entered and saves a change.
    await page.getByRole('link', { name: 'Edit sequence' }).click();
    await page.getByRole('heading', { level: 1, name: `Edit ${name}` }).waitFor();
    expect(await page.getByRole('textbox', { name: 'Step 1 variable {{1}}' }).inputValue()).toBe('{{name|there}}');
    await page.getByRole('textbox', { name: 'Step 2 delay', exact: true }).fill('3');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('heading', { level: 1, name }).waitFor();
    expect((await api(`/v1/sequences/${sequenceId}`)).steps[1].delay).toBe('P3D');
    expect(errors).toEqual([]);
  });

  it('shows an analyst no builder and no control', async () => {
    await signIn(page, stack.url, analyst.email, analyst.password);
    await page.goto(`${stack.url}/sequences`);
    await page.getByRole('heading', { level: 1, name: 'Sequences' }).waitFor();
    expect(await page.getByRole('link', { name: 'New sequence' }).count()).toBe(0);
    const template = { name: 'hello_world', language: 'en_US' };
    const target = (
      await request(stack.url)
        .post('/v1/sequences')
        .set(bearer())
        .send({ name: 'Read-only drip', senderId: sender.id, steps: [{ template, delay: 'P1D' }] })
        .expect(201)
    ).body.id;
    await page.goto(`${stack.url}/sequences/${target}`);
    await page.getByRole('heading', { name: 'Upcoming sends' }).waitFor();
    for (const control of ['Edit sequence', 'Pause sequence', 'Resume sequence', 'Enrol'])
      expect(
        await page
          .getByRole('button', { name: control })
          .or(page.getByRole('link', { name: control }))
          .count(),
      ).toBe(0);
    expect(await page.getByRole('heading', { name: 'Enrol contacts' }).count()).toBe(0);
    await page.goto(`${stack.url}/sequences/new`);
    await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
    expect(await page.getByRole('heading', { name: 'New sequence' }).count()).toBe(0);
  });
});
