import AxeBuilder from '@axe-core/playwright';
import ExcelJS from 'exceljs';
import { readFile } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import request from 'supertest';
import { bearer } from './support/apps';
import { approveDemoTemplates, broadcastCompleted, createSender, seedList } from './support/broadcast-fixtures';
import { addPerson, type ConsoleStack, launchBrowser, openPage, signIn, startConsoleStack } from './support/console-stack';
import { waitFor } from './support/processes';

/**
 * The broadcast page in headless Chromium, as an analyst reads it: a completed broadcast through
 * the sandbox (deliveries, reads, replies, refusals, failures by webhook, a skip), whose page shows
 * the API's numbers, its failures with what to do, and its recipients filtered and exported.
 */
describe('Console: broadcast detail (browser e2e)', () => {
  let stack: ConsoleStack;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  let broadcastId: number;
  let secondId: number;
  let api: { stats: Record<string, number>; rates: Record<string, number> };
  const analyst = { email: 'analyst@console.test', password: 'analyst-password-1' };

  const CONTACTS = 30;
  const REFUSED = 3; // 131026 at once
  const FAILED_LATER = 2; // accepted, then failed by webhook with 131050
  const UNREAD = 3;
  const REPLIERS = 2;

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startConsoleStack(), launchBrowser()]);
    await approveDemoTemplates(stack.db);
    const sender = await createSender(stack.url, { throughputMps: 200 });
    await stack.startWorker();
    const audience = await seedList(stack.db, CONTACTS + 1, (i) => ({ optedOut: i === CONTACTS }));
    const phones = audience.contacts.map((c) => c.phone.replace('+', ''));
    await stack.sandbox.configure({
      statuses: { sentDelayMs: 0, deliveredDelayMs: 20, readDelayMs: 40, jitterMs: 20, deliveredProbability: 1, readProbability: 1 },
      rejectNumbers: Object.fromEntries(phones.slice(0, REFUSED).map((p) => [p, 131026])),
      failNumbers: Object.fromEntries(phones.slice(REFUSED, REFUSED + FAILED_LATER).map((p) => [p, 131050])),
      unreadNumbers: phones.slice(10, 10 + UNREAD),
      replyNumbers: Object.fromEntries(phones.slice(20, 20 + REPLIERS).map((p) => [p, 'Yes please'])),
      replyDelayMs: 0,
    });
    const created = await request(stack.url)
      .post('/v1/broadcasts')
      .set(bearer())
      .send({
        name: 'Winter sale',
        senderId: sender.id,
        template: { name: 'hello_world', language: 'en_US' },
        audience: { listId: audience.listId },
        variables: {},
      })
      .expect(201);
    broadcastId = created.body.id;
    // A second, smaller one to compare with: the first ten contacts (three refused, two failed later).
    const second = await request(stack.url)
      .post('/v1/broadcasts')
      .set(bearer())
      .send({
        name: 'Spring preview',
        senderId: sender.id,
        template: { name: 'hello_world', language: 'en_US' },
        audience: { contactIds: audience.contacts.slice(0, 10).map((c) => c.id) },
        variables: {},
      })
      .expect(201);
    secondId = second.body.id;
    await broadcastCompleted(stack.url, broadcastId, 45_000);
    await broadcastCompleted(stack.url, secondId, 45_000);
    // Every webhook in: the figures no longer move.
    const sent = CONTACTS - REFUSED;
    const delivered = sent - FAILED_LATER;
    api = await waitFor(
      async () => {
        const b = (await request(stack.url).get(`/v1/broadcasts/${broadcastId}`).set(bearer()).expect(200)).body;
        const s = b.stats;
        return s.failed === REFUSED + FAILED_LATER && s.delivered === delivered && s.read === delivered - UNREAD && s.replied === REPLIERS
          ? b
          : undefined;
      },
      30_000,
      'the webhooks to be counted',
    );
    await waitFor(
      async () => {
        const s = (await request(stack.url).get(`/v1/broadcasts/${secondId}`).set(bearer()).expect(200)).body.stats;
        return s.failed === REFUSED + FAILED_LATER && s.delivered === 10 - REFUSED - FAILED_LATER ? true : undefined;
      },
      30_000,
      "the second broadcast's webhooks to be counted",
    );
    await addPerson(stack.url, analyst, 'analyst', 'Ana Lyst');
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });
  beforeEach(async () => {
    ({ context, page, errors } = await openPage(browser, { timezoneId: 'Asia/Kolkata', acceptDownloads: true }));
    await signIn(page, stack.url, analyst.email, analyst.password);
  });
  afterEach(async () => {
    await context.close();
  });

  const text = async (testId: string) => (await page.getByTestId(testId).textContent())?.trim();

  it("shows an analyst the API's numbers, the zone its times are in, its failures with advice, and no control that changes anything", async () => {
    await page.getByRole('link', { name: 'Broadcasts' }).click();
    await page.getByRole('link', { name: 'Winter sale' }).click();
    await page.waitForURL(`${stack.url}/broadcasts/${broadcastId}`);
    await page.getByRole('heading', { level: 1, name: 'Winter sale' }).waitFor();

    const n = (v: number) => v.toLocaleString('en-US');
    expect(await text('funnel-sent-value')).toBe(n(api.stats.sent));
    expect(await text('funnel-delivered-value')).toBe(n(api.stats.delivered));
    expect(await text('funnel-read-value')).toBe(n(api.stats.read));
    expect(await text('funnel-replied-value')).toBe(n(api.stats.replied));
    expect(await text('stat-total-value')).toBe(n(api.stats.total));
    expect(await text('stat-failed-value')).toBe(n(api.stats.failed));
    expect(await text('stat-skipped-value')).toBe(n(api.stats.skipped));
    expect(await text('funnel-delivered-rate')).toBe(`${(api.rates.deliveryRate * 100).toFixed(1)}% of sent`);
    expect(await text('funnel-read-rate')).toBe(`${(api.rates.readRate * 100).toFixed(1)}% of delivered`);
    expect(api.stats).toMatchObject({ total: CONTACTS + 1, skipped: 1, queued: 0 });
    expect(await text('time-zone')).toMatch(/Asia\/(Kolkata|Calcutta) \(UTC\+05:30\)/);

    // Failures by code: the two codes with their counts, Meta's titles and what to do.
    const rows = page.getByTestId('failure-row');
    await rows.first().waitFor();
    const failures = await rows.allTextContents();
    expect(failures).toHaveLength(2);
    expect(failures.find((f) => f.startsWith('131026'))).toMatch(/Message Undeliverable.*retry fails again.*3/);
    expect(failures.find((f) => f.startsWith('131050'))).toMatch(/User has stopped marketing messages.*opt-out.*2/);

    // The chart has points (per minute: this campaign lasted seconds), and cost tiles show.
    const chart = page.getByTestId('timeline');
    await chart.waitFor();
    expect(await chart.getAttribute('data-bucket')).toBe('minute');
    expect(Number(await chart.getAttribute('data-points'))).toBeGreaterThan(0);
    expect(await text('cost-delivered-value')).toMatch(/^\$\d/);
    // The bucket can be chosen, and the choice is in the URL.
    await page.getByText('Per hour', { exact: true }).click();
    await page.waitForURL(/bucket=hour/);
    await page.locator('[data-testid="timeline"][data-bucket="hour"]').waitFor();
    expect(await page.getByRole('heading', { name: 'Over time (per hour)' }).count()).toBe(1);

    // Nothing that changes the broadcast: its only buttons read or export.
    await page.getByTestId('recipient-row').first().waitFor();
    const buttons = (await page.getByRole('main').getByRole('button').allTextContents()).map((b) => b.trim()).filter(Boolean);
    for (const b of buttons) expect(b).toMatch(/^(Per minute|Per hour|Previous page|Next page|Export CSV|Export XLSX)$/);
    expect(
      await page
        .getByRole('main')
        .getByRole('link', { name: /Export CSV|Export XLSX/ })
        .count(),
    ).toBe(2);
    // This page's own content (the shell and its navigation are checked with every page elsewhere).
    const axe = await new AxeBuilder({ page }).include('main').analyze();
    expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('filters recipients by status in the URL (kept on reload) and exports exactly the filtered rows as CSV and XLSX', async () => {
    await page.goto(`${stack.url}/broadcasts/${broadcastId}`);
    await page.getByTestId('recipient-row').first().waitFor();
    expect(await page.getByTestId('recipient-row').count()).toBe(CONTACTS + 1);

    await page.getByRole('combobox', { name: 'Recipient status' }).click();
    await page.getByRole('option', { name: 'Failed' }).click();
    await page.waitForURL(/status=failed/);
    await waitFor(async () => (await page.getByTestId('recipient-row').count()) === REFUSED + FAILED_LATER, 10_000, 'the failed rows');
    expect(new Set(await page.getByTestId('recipient-status').allTextContents())).toEqual(new Set(['failed']));
    const shown = await page.getByTestId('recipient-row').allTextContents();
    expect(shown.filter((r) => r.includes('131026') && r.includes('Message Undeliverable'))).toHaveLength(REFUSED);
    expect(shown.filter((r) => r.includes('131050'))).toHaveLength(FAILED_LATER);

    await page.reload();
    await page.getByTestId('recipient-row').first().waitFor();
    expect(await page.getByTestId('recipient-row').count()).toBe(REFUSED + FAILED_LATER);
    expect(await page.getByRole('combobox', { name: 'Recipient status' }).inputValue()).toBe('Failed');

    const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Export CSV' }).click()]);
    const csv = (await readFile(await csvDownload.path())).toString('utf8').trim().split(/\r?\n/);
    expect(csv[0]).toMatch(/^recipient_id,contact_id,phone,country,status,/);
    expect(csv.slice(1)).toHaveLength(REFUSED + FAILED_LATER);
    expect(csv.slice(1).every((line) => line.split(',')[4] === 'failed')).toBe(true);

    const [xlsxDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Export XLSX' }).click()]);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(await xlsxDownload.path());
    const sheet = workbook.worksheets[0];
    const statuses: string[] = [];
    sheet.eachRow((row, i) => i > 1 && statuses.push(String(row.getCell(5).value)));
    expect(statuses).toEqual(Array(REFUSED + FAILED_LATER).fill('failed'));

    // Another filter: the replied, then all again.
    await page.getByRole('combobox', { name: 'Recipient status' }).click();
    await page.getByRole('option', { name: 'Replied' }).click();
    await page.waitForURL(/status=replied/);
    await waitFor(async () => (await page.getByTestId('recipient-row').count()) === REPLIERS, 10_000, 'the replied rows');
    expect(errors).toEqual([]);
  });

  it('compares broadcasts picked in the history side by side, with the API figures, and keeps the selection in the URL', async () => {
    await page.goto(`${stack.url}/broadcasts`);
    await page.getByRole('checkbox', { name: 'Select Winter sale to compare' }).check();
    await page.getByRole('checkbox', { name: 'Select Spring preview to compare' }).check();
    await page.getByRole('link', { name: 'Compare selected (2)' }).click();
    await page.waitForURL(/\/compare\?ids=/);
    expect(new Set(new URL(page.url()).searchParams.get('ids')?.split(','))).toEqual(new Set([String(broadcastId), String(secondId)]));
    await page.getByTestId('compare-table').waitFor();

    const cells = async (key: string) =>
      (await page.getByTestId(`compare-${key}`).locator('td').allTextContents()).slice(1).map((c) => c.replace(/best$/, '').trim());
    const ids = new URL(page.url()).searchParams.get('ids')!.split(',').map(Number);
    const views = await Promise.all(
      ids.map(async (id) => (await request(stack.url).get(`/v1/broadcasts/${id}`).set(bearer()).expect(200)).body),
    );
    const n = (v: number) => v.toLocaleString('en-US');
    expect(await cells('sent')).toEqual(views.map((v) => n(v.stats.sent)));
    expect(await cells('delivered')).toEqual(views.map((v) => n(v.stats.delivered)));
    expect(await cells('failed')).toEqual(views.map((v) => n(v.stats.failed)));
    expect(await cells('deliveryRate')).toEqual(views.map((v) => `${(v.rates.deliveryRate * 100).toFixed(1)}%`));
    // The smaller one had the same failures among fewer recipients: the bigger one has the lower failure rate, marked best.
    const failureRates = await page.getByTestId('compare-failureRate').locator('td').allTextContents();
    expect(failureRates[1 + ids.indexOf(broadcastId)]).toMatch(/best$/);
    await page.getByTestId('compare-funnel').waitFor();
    await page.getByTestId('compare-pace').waitFor();

    await page.reload();
    await page.getByTestId('compare-table').waitFor();
    expect(await cells('sent')).toEqual(views.map((v) => n(v.stats.sent)));
    const axe = await new AxeBuilder({ page }).include('main').analyze();
    expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('shows a broadcast that does not exist as an error with the API message, not a blank page', async () => {
    await page.goto(`${stack.url}/broadcasts/999999`);
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/not found/i);
    expect(await page.getByRole('heading', { level: 1 }).count()).toBe(1);
  });
});
