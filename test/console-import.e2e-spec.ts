import { readFile } from 'node:fs/promises';
import { randomInt } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ADMIN_TOKEN } from './support/apps';
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

/** A marketer imports a messy sheet through the console's wizard, against the real API and worker. */
describe('Console: import wizard (browser e2e)', () => {
  let stack: ConsoleStack;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  const api = (path: string) => fetch(`${stack.url}${path}`, { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } });

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startConsoleStack(), launchBrowser()]);
    await stack.startWorker();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });
  beforeEach(async () => {
    ({ context, page, errors } = await openPage(browser, { timezoneId: 'Asia/Kolkata', acceptDownloads: true }));
  });
  afterEach(() => context.close());

  it('previews a messy sheet with its normalised phones, imports it, and shows what the API counted', async () => {
    const n = () => `9${String(randomInt(100_000_000, 999_999_999))}`;
    const [a, b, c] = [n(), n(), n()];
    const sheet = [
      'Mobile No.;Full Name;City',
      `0${a};Asha Rao;Pune`,
      `+91 ${b.slice(0, 5)} ${b.slice(5)};Ravi Kumar;Mumbai`,
      `(91) ${c};Meera;Delhi`,
      `91-${a};Asha again;Pune`,
      'not a number;Dev;Goa',
    ].join('\n');

    await signIn(page, stack.url, ADMIN_EMAIL, ADMIN_PASSWORD);
    await page.getByRole('link', { name: 'Import contacts' }).click();
    await page.mouse.move(0, 0); // the link's hover colour is not what axe should judge
    await page.getByRole('heading', { level: 1, name: 'Import contacts' }).waitFor();
    await page.getByRole('textbox', { name: 'Default country' }).fill('IN');
    await page.locator('input[type=file]').setInputFiles({ name: 'messy.csv', mimeType: 'text/csv', buffer: Buffer.from(sheet) });

    const rows = page.getByTestId('preview-rows');
    // The country is read after a pause in typing: the rows settle once it applies.
    await page.getByTestId('preview-accepted').getByText('3 of 5 rows would be imported').waitFor();
    expect(await page.getByTestId('preview-format').textContent()).toMatch(/CSV, UTF-8, “;” separated/);
    for (const header of ['Mobile No.', 'Full Name', 'City'])
      await expect(rows.getByRole('columnheader', { name: header }).count()).resolves.toBe(1);
    for (const phone of [a, b, c]) expect(await rows.getByRole('cell', { name: `+91${phone}`, exact: true }).count()).toBeGreaterThan(0);
    expect(await rows.getByText(`duplicate: same phone +91${a} as row 1`).count()).toBe(1);
    expect(await seriousAxeViolations(page)).toEqual([]);

    const list = `wizard ${randomInt(1e9)}`;
    await page.getByRole('textbox', { name: 'Add to list' }).fill(list);
    await page.getByRole('button', { name: 'Import the sheet' }).click();
    const result = page.getByTestId('import-result');
    await result.waitFor({ timeout: 30_000 });

    const latest = ((await (await api('/v1/imports?limit=1')).json()) as { data: Array<Record<string, unknown>> }).data[0];
    expect(latest).toMatchObject({ status: 'completed', fileName: 'messy.csv', created: 3, duplicates: 1, invalid: 1 });
    for (const key of ['created', 'updated', 'duplicates', 'invalid', 'skipped'])
      expect(await page.getByTestId(`import-${key}-value`).textContent()).toBe(String(latest[key]));
    expect(await page.getByTestId('import-errors').getByText('duplicate: same phone').count()).toBe(1);
    const listed = ((await (await api('/v1/lists?limit=100')).json()) as { data: Array<{ name: string }> }).data.find(
      (l) => l.name === list,
    );
    expect(listed).toBeDefined();
    const listId = ((await (await api('/v1/lists?limit=100')).json()) as { data: Array<{ id: number; name: string }> }).data.find(
      (l) => l.name === list,
    )!.id;
    expect(await page.getByRole('link', { name: 'Broadcast to this list' }).getAttribute('href')).toBe(`/broadcasts/new?listId=${listId}`);

    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: /Download errors\.csv/ }).click();
    const csv = await readFile((await (await download).path())!, 'utf8');
    expect(csv.trim().split('\n')).toHaveLength(1 + 2);
    expect(csv).toContain('not a number;Dev;Goa');
    expect(errors).toEqual([]);
  });

  it('says why a sheet cannot be imported, in the API’s words', async () => {
    await signIn(page, stack.url, ADMIN_EMAIL, ADMIN_PASSWORD);
    await page.goto(`${stack.url}/imports`);
    await page
      .locator('input[type=file]')
      .setInputFiles({ name: 'names.csv', mimeType: 'text/csv', buffer: Buffer.from('Customer,City\nAsha,Pune\n') });
    await page
      .getByRole('alert')
      .getByText(/no phone column/)
      .waitFor();
  });
});
