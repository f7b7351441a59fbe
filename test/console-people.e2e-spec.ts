import request from 'supertest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { bearer } from './support/apps';
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
import { startReceiver } from './support/webhook-receiver';

/** The console's admin pages in headless Chromium against the built API: people, API tokens, webhooks, and what other roles see. */
describe('Console: people, API tokens and webhooks (browser e2e)', () => {
  let stack: ConsoleStack;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startConsoleStack(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });
  beforeEach(async () => {
    ({ context, page, errors } = await openPage(browser, { permissions: ['clipboard-read', 'clipboard-write'] }));
  });
  afterEach(async () => {
    await context.close();
  });

  /** A person made through the API (the console's own creation is tested below). */
  async function createUser(
    role: 'admin' | 'marketer' | 'analyst',
    name: string,
  ): Promise<{ id: number; email: string; password: string }> {
    const email = `${name.toLowerCase().replace(/\W+/g, '.')}.${Date.now()}@console.test`;
    const password = `${role}-password-1234`;
    const res = await request(stack.url).post('/v1/users').set(bearer()).send({ email, name, role, password });
    if (res.status !== 201) throw new Error(`user not created: ${res.status} ${JSON.stringify(res.body)}`);
    return { id: res.body.id, email, password };
  }

  async function userById(id: number): Promise<{ role: string; disabled: boolean }> {
    return (await request(stack.url).get(`/v1/users/${id}`).set(bearer()).expect(200)).body;
  }

  async function expectOneH1(): Promise<void> {
    expect(await page.getByRole('heading', { level: 1 }).count()).toBe(1);
  }

  it('an admin adds an analyst in the console, who then signs in with that password', async () => {
    await signIn(page, stack.url, ADMIN_EMAIL, ADMIN_PASSWORD);
    await page.getByRole('link', { name: 'People' }).click();
    await page.getByRole('heading', { level: 1, name: 'People' }).waitFor();
    await expectOneH1();

    const email = `ana.lyst.${Date.now()}@console.test`;
    await page.getByRole('button', { name: 'Add a person' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a person' });
    await dialog.getByRole('textbox', { name: 'Name' }).fill('Ana Lyst');
    await dialog.getByRole('textbox', { name: 'Email' }).fill(email);
    await dialog.getByRole('combobox', { name: 'Role' }).click();
    await page.getByRole('option', { name: /^analyst/ }).click();
    // The API's rule shows before the call: under 10 characters cannot be submitted.
    await dialog.getByRole('textbox', { name: 'Password' }).fill('short');
    expect(await dialog.getByRole('button', { name: 'Add person' }).isDisabled()).toBe(true);
    await dialog.getByRole('textbox', { name: 'Password' }).fill('analyst-password-42');
    await dialog.getByRole('button', { name: 'Add person' }).click();
    await dialog.waitFor({ state: 'hidden' });

    const row = page.getByTestId('person-row').filter({ hasText: email });
    await row.waitFor();
    expect(await row.getByRole('combobox', { name: 'Role of Ana Lyst' }).inputValue()).toBe('analyst');
    const users = (await request(stack.url).get('/v1/users').set(bearer()).expect(200)).body.data as Array<{ email: string; role: string }>;
    expect(users.find((u) => u.email === email)).toMatchObject({ role: 'analyst' });
    expect(errors).toEqual([]);

    // The same email again: the API's message, in the form.
    await page.getByRole('button', { name: 'Add a person' }).click();
    await dialog.getByRole('textbox', { name: 'Name' }).fill('Ana Again');
    await dialog.getByRole('textbox', { name: 'Email' }).fill(email.toUpperCase());
    await dialog.getByRole('textbox', { name: 'Password' }).fill('analyst-password-42');
    await dialog.getByRole('button', { name: 'Add person' }).click();
    await dialog.getByRole('alert').waitFor();
    expect(await dialog.getByRole('alert').textContent()).toMatch(/already|exists|taken/i);
    await page.keyboard.press('Escape');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${stack.url}/sign-in`);
    await signIn(page, stack.url, email, 'analyst-password-42');
    expect(await page.getByTestId('role').textContent()).toBe('analyst');
  });

  it('an admin changes a role, disables a person and sets their password, each ending their sessions; they cannot change themselves', async () => {
    const person = await createUser('marketer', 'Mark Eter');
    const theirs = await browser.newContext();
    const theirPage = await theirs.newPage();
    await signIn(theirPage, stack.url, person.email, person.password);

    await signIn(page, stack.url, ADMIN_EMAIL, ADMIN_PASSWORD);
    await page.goto(`${stack.url}/admin/people`);
    const row = page.getByTestId('person-row').filter({ hasText: person.email });
    await row.getByRole('combobox', { name: 'Role of Mark Eter' }).click();
    await page.getByRole('option', { name: 'analyst', exact: true }).click();
    await page.getByText('Mark Eter is now analyst').waitFor();
    expect(await userById(person.id)).toMatchObject({ role: 'analyst', disabled: false });

    await row.getByRole('button', { name: 'Disable Mark Eter' }).click();
    await row.getByRole('button', { name: 'Enable Mark Eter' }).waitFor();
    expect(await row.getByText('disabled', { exact: true }).count()).toBe(1);
    expect(await userById(person.id)).toMatchObject({ role: 'analyst', disabled: true });
    expect((await theirs.request.get(`${stack.url}/v1/auth/me`)).status()).toBe(401);
    await theirs.close();

    await row.getByRole('button', { name: 'Enable Mark Eter' }).click();
    await row.getByRole('button', { name: 'Disable Mark Eter' }).waitFor();
    expect(await userById(person.id)).toMatchObject({ disabled: false });

    // A new password: their session on the other browser ends, and the new one signs in.
    const again = await browser.newContext();
    const againPage = await again.newPage();
    await signIn(againPage, stack.url, person.email, person.password);
    await row.getByRole('button', { name: 'Set password for Mark Eter' }).click();
    const dialog = page.getByRole('dialog', { name: 'Set a password for Mark Eter' });
    await dialog.getByRole('textbox', { name: 'New password' }).fill('a-brand-new-password');
    await dialog.getByRole('button', { name: 'Set password' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect((await again.request.get(`${stack.url}/v1/auth/me`)).status()).toBe(401);
    await again.close();
    const signedIn = await request(stack.url).post('/v1/auth/login').send({ email: person.email, password: 'a-brand-new-password' });
    expect(signedIn.status).toBe(200);
    await request(stack.url).post('/v1/auth/login').send({ email: person.email, password: person.password }).expect(401);

    // The signed-in admin's own row: no disable button, the role fixed.
    const own = page.getByTestId('person-row').filter({ hasText: ADMIN_EMAIL });
    expect(await own.getByRole('button', { name: /Disable|Enable/ }).count()).toBe(0);
    expect(await own.getByRole('combobox', { name: /^Role of/ }).isDisabled()).toBe(true);
    expect(errors).toEqual([]);
  });

  it('creates an API token shown once and copyable, lists it by its last characters, and revokes it', async () => {
    await signIn(page, stack.url, ADMIN_EMAIL, ADMIN_PASSWORD);
    await page.getByRole('link', { name: 'API tokens' }).click();
    await page.getByRole('heading', { level: 1, name: 'API tokens' }).waitFor();
    await expectOneH1();

    await page.getByRole('button', { name: 'Create a token' }).click();
    const create = page.getByRole('dialog', { name: 'Create an API token' });
    await create.getByRole('textbox', { name: 'Name' }).fill('CRM sync');
    await create.getByRole('textbox', { name: 'Expires after (days)' }).fill('30');
    await create.getByRole('button', { name: 'Create token' }).click();

    const shown = page.getByRole('dialog', { name: 'Your new API token' });
    const token = ((await shown.getByTestId('issued-token').textContent()) ?? '').trim();
    expect(token.length).toBeGreaterThan(20);
    await shown.getByRole('button', { name: 'Copy token' }).click();
    await shown.getByRole('button', { name: 'Copied' }).waitFor();
    expect(
      await page.evaluate(() =>
        (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText(),
      ),
    ).toBe(token);
    const me = await request(stack.url).get('/v1/auth/me').set(bearer(token)).expect(200);
    expect(me.body).toMatchObject({ name: 'CRM sync', role: 'analyst', via: 'token' });
    await shown.getByRole('button', { name: 'Done' }).click();
    await shown.waitFor({ state: 'hidden' });

    // Listed by its hint only: the token itself is nowhere on the page any more.
    const row = page.getByTestId('token-row').filter({ hasText: 'CRM sync' });
    expect(await row.textContent()).toContain(token.slice(-6));
    expect(await page.content()).not.toContain(token);
    expect(await row.getByText('active', { exact: true }).count()).toBe(1);

    await row.getByRole('button', { name: 'Revoke CRM sync' }).click();
    await page.getByRole('dialog', { name: 'Revoke this token?' }).getByRole('button', { name: 'Revoke token' }).click();
    await row.getByText('revoked', { exact: true }).waitFor();
    expect(await row.getByRole('button', { name: 'Revoke CRM sync' }).count()).toBe(0);
    await request(stack.url).get('/v1/auth/me').set(bearer(token)).expect(401);
    expect(errors).toEqual([]);
  });

  it('adds a webhook endpoint whose secret, shown once, verifies the test ping; logs the delivery; disables and deletes it', async () => {
    const receiver = await startReceiver(() => 200);
    try {
      await signIn(page, stack.url, ADMIN_EMAIL, ADMIN_PASSWORD);
      await page.getByRole('link', { name: 'Webhooks' }).click();
      await page.getByRole('heading', { level: 1, name: 'Outbound webhooks' }).waitFor();
      await page.getByRole('button', { name: 'Add an endpoint' }).click();
      const dialog = page.getByRole('dialog', { name: 'Add a webhook endpoint' });
      await dialog.getByRole('textbox', { name: 'URL' }).fill(receiver.url);
      await dialog.getByRole('textbox', { name: 'Description' }).fill('CRM sync');
      await dialog.getByRole('checkbox', { name: 'contact.opted_out' }).check();
      await dialog.getByRole('button', { name: 'Add endpoint' }).click();
      const secret = (await page.getByTestId('endpoint-secret').textContent())!.trim();
      expect(secret).toMatch(/^whsec_[A-Za-z0-9+/=]+$/);
      await page.getByRole('button', { name: 'Done' }).click();

      const endpoints = (await request(stack.url).get('/v1/webhook-endpoints').set(bearer()).expect(200)).body.data as Array<{
        id: number;
        url: string;
        events: string[];
        description: string;
        secret?: string;
      }>;
      const endpoint = endpoints.find((e) => e.url === receiver.url)!;
      expect(endpoint).toMatchObject({ description: 'CRM sync', events: ['broadcast.completed', 'contact.opted_out'] });
      expect(endpoint.secret).toBeUndefined();

      const row = page.getByTestId('endpoint-row').filter({ hasText: receiver.url });
      await row.getByRole('button', { name: `Send a test ping to ${receiver.url}` }).click();
      await page.getByText('Ping delivered').waitFor();
      // The secret the page showed is the one deliveries are signed with.
      const [ping] = receiver.verified(secret);
      expect(ping).toMatchObject({ type: 'ping', data: { endpointId: endpoint.id } });

      await row.getByRole('button', { name: `Deliveries of ${receiver.url}` }).click();
      const delivery = page.getByTestId('delivery-row').filter({ hasText: ping.id });
      await delivery.waitFor();
      expect(await delivery.textContent()).toMatch(/ping.*1.*succeeded.*200/);

      await row.getByRole('button', { name: `Disable ${receiver.url}` }).click();
      await row.getByRole('button', { name: `Enable ${receiver.url}` }).waitFor();
      expect((await request(stack.url).get(`/v1/webhook-endpoints/${endpoint.id}`).set(bearer()).expect(200)).body.status).toBe('disabled');

      await row.getByRole('button', { name: `Delete ${receiver.url}` }).click();
      await page.getByRole('dialog', { name: 'Delete this endpoint?' }).getByRole('button', { name: 'Delete endpoint' }).click();
      await row.waitFor({ state: 'detached' });
      await request(stack.url).get(`/v1/webhook-endpoints/${endpoint.id}`).set(bearer()).expect(404);
      expect(errors).toEqual([]);
    } finally {
      await receiver.close();
    }
  });

  it('shows people and tokens to admins only: other roles see neither the links nor the pages, and the API refuses them', async () => {
    for (const role of ['marketer', 'analyst'] as const) {
      const person = await createUser(role, `Not Admin ${role}`);
      const ctx = await browser.newContext();
      const p = await ctx.newPage();
      await signIn(p, stack.url, person.email, person.password);
      expect(await p.getByRole('link', { name: 'Dashboard' }).count()).toBe(1);
      expect(await p.getByRole('link', { name: 'People' }).count()).toBe(0);
      expect(await p.getByRole('link', { name: 'API tokens' }).count()).toBe(0);
      expect(await p.getByRole('link', { name: 'Webhooks' }).count()).toBe(0);
      for (const path of ['/admin/people', '/admin/tokens', '/admin/webhooks']) {
        await p.goto(`${stack.url}${path}`);
        await p.waitForURL(`${stack.url}/`);
        expect(await p.getByRole('heading', { level: 1, name: /People|API tokens|Outbound webhooks/ }).count()).toBe(0);
      }
      for (const path of ['/v1/users', '/v1/tokens', '/v1/webhook-endpoints'])
        expect((await ctx.request.get(`${stack.url}${path}`)).status()).toBe(403);
      await ctx.close();
    }
  });

  it('has no serious or critical axe finding on the people, token and webhook pages, their dialogs open or shut', async () => {
    // A row on the webhooks page too, with its buttons.
    await request(stack.url)
      .post('/v1/webhook-endpoints')
      .set(bearer())
      .send({ url: 'http://127.0.0.1:9/axe', events: ['broadcast.completed'] })
      .expect(201);
    await signIn(page, stack.url, ADMIN_EMAIL, ADMIN_PASSWORD);
    for (const [path, title, button] of [
      ['/admin/people', 'People', 'Add a person'],
      ['/admin/tokens', 'API tokens', 'Create a token'],
      ['/admin/webhooks', 'Outbound webhooks', 'Add an endpoint'],
    ] as const) {
      await page.goto(`${stack.url}${path}`);
      await page.getByRole('heading', { level: 1, name: title }).waitFor();
      await page.locator('table').first().waitFor();
      await expectOneH1();
      expect(await seriousAxeViolations(page)).toEqual([]);
      await page.getByRole('button', { name: button }).click();
      await page.getByRole('dialog').waitFor();
      expect(await seriousAxeViolations(page)).toEqual([]);
    }
    expect(errors).toEqual([]);
  });
});
