import type { Browser, BrowserContext, Page } from 'playwright-core';
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

/** The console in headless Chromium against the built API: signing in and out, sessions, CSRF. */
describe('Console: sign-in (browser e2e)', () => {
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
    ({ context, page, errors } = await openPage(browser));
  });
  afterEach(async () => {
    await context.close();
  });

  it('serves the app at any of its paths, leaves the API, docs and health alone, and runs under the CSP', async () => {
    for (const path of ['/', '/broadcasts/42', '/admin/people']) {
      const res = await fetch(`${stack.url}${path}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
      expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(await res.text()).toContain('<div id="root">');
    }
    const api404 = await fetch(`${stack.url}/v1/no-such-thing`);
    expect(api404.status).toBe(404);
    expect(await api404.json()).toMatchObject({ statusCode: 404 });
    expect((await fetch(`${stack.url}/health`)).headers.get('content-type')).toMatch(/json/);
    expect((await fetch(`${stack.url}/metrics`)).headers.get('content-type')).toMatch(/text\/plain/);
    expect(await (await fetch(`${stack.url}/docs-json`)).json()).toHaveProperty('openapi');
    expect((await fetch(`${stack.url}/assets/missing.js`)).status).toBe(404);

    // The page's own script runs (no inline script was needed, none was refused).
    await page.goto(`${stack.url}/`);
    await page.getByRole('heading', { level: 1, name: 'Sign in to Clarion' }).waitFor();
    expect(errors).toEqual([]);
    expect(await seriousAxeViolations(page)).toEqual([]);
  });

  it('refuses a wrong password with the API message and stays on sign-in', async () => {
    await page.goto(`${stack.url}/sign-in`);
    await page.getByRole('textbox', { name: 'Email' }).fill(ADMIN_EMAIL);
    await page.getByRole('textbox', { name: 'Password' }).fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/invalid|incorrect|wrong/i);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    expect((await context.cookies()).find((c) => c.name === 'clarion_session')).toBeUndefined();
  });

  it('signs in, keeps a deep link through sign-in and a reload, and signs out', async () => {
    await page.goto(`${stack.url}/broadcasts?status=completed`);
    await page.waitForURL(/\/sign-in\?next=/);
    await page.getByRole('textbox', { name: 'Email' }).fill(ADMIN_EMAIL);
    await page.getByRole('textbox', { name: 'Password' }).fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${stack.url}/broadcasts?status=completed`);
    expect(await page.getByTestId('signed-in-as').textContent()).toBeTruthy();
    const cookie = (await context.cookies()).find((c) => c.name === 'clarion_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict' });

    await page.reload();
    await page.getByTestId('signed-in-as').waitFor();
    expect(page.url()).toBe(`${stack.url}/broadcasts?status=completed`);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${stack.url}/sign-in`);
    const me = await context.request.get(`${stack.url}/v1/auth/me`);
    expect(me.status()).toBe(401);
    await page.goto(`${stack.url}/`);
    await page.waitForURL(/\/sign-in/);
    expect(errors).toEqual([]);
  });

  it('sends X-Requested-With with its changes, and the API refuses a cookie-authenticated change without it (CSRF)', async () => {
    await signIn(page, stack.url, ADMIN_EMAIL, ADMIN_PASSWORD);
    const forged = await page.evaluate(async () => {
      const res = await fetch('/v1/tokens', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: 'forged', role: 'admin' }),
      });
      return res.status;
    });
    expect(forged).toBe(403);
    const withHeader = await page.evaluate(async () => {
      const res = await fetch('/v1/tokens', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Requested-With': 'clarion' },
        body: JSON.stringify({ name: 'allowed', role: 'analyst' }),
      });
      return res.status;
    });
    expect(withHeader).toBe(201);

    // The console's own sign-out is a state change: it must carry the header.
    const logout = page.waitForRequest((r) => r.url().endsWith('/v1/auth/logout'));
    await page.getByRole('button', { name: 'Sign out' }).click();
    expect((await logout).headers()['x-requested-with']).toBe('clarion');
  });

  it('sends a person whose session ended back to sign-in on their next call', async () => {
    await signIn(page, stack.url, ADMIN_EMAIL, ADMIN_PASSWORD);
    await context.clearCookies();
    // The next call is either the click's or the dashboard's 2 s poll, whichever comes first: when the
    // poll wins, the page has already left for sign-in and the link is gone, which the click tolerates.
    const signedOut = page.waitForURL(/\/sign-in/, { timeout: 10_000 });
    await page
      .getByRole('link', { name: 'Broadcasts' })
      .click({ timeout: 2_000 })
      .catch(() => undefined);
    await signedOut;
    expect(new URL(page.url()).pathname).toBe('/sign-in');
  });
});
