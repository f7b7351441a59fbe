import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomInt } from 'node:crypto';
import request from 'supertest';
import { freePort } from '../apps/sandbox/src/spawn-sandbox';
import { bearer } from './support/apps';
import { broadcastCompleted, createSender, seedList } from './support/broadcast-fixtures';
import { spawnAppProcess, waitFor } from './support/processes';
import { startStack, type Stack } from './support/stack';

/**
 * One price table, PRICING_FILE: the estimate made when a broadcast is created and the cost of
 * the messages WhatsApp reports delivered both come from it, and GET /v1/pricing shows it with
 * its date. A file that is set but wrong stops boot with a message naming it.
 */
describe('the price table (API + worker + sandbox)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'clarion-pricing-'));
  const rateCard = (name: string, card: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, typeof card === 'string' ? card : JSON.stringify(card));
    return path;
  };
  let stack: Stack;
  const template = `offer_${randomInt(1e9)}`;

  beforeAll(async () => {
    const pricing = rateCard('rates.json', {
      currency: 'EUR',
      ratesDate: '2026-10-01',
      default: { MARKETING: 0.1 },
      countries: { de: { marketing: 0.25 } },
    });
    stack = await startStack({
      // Every message delivered (the sandbox's default leaves 3% undelivered): the costs are exact.
      sandbox: { templates: null, statuses: { deliveredProbability: 1 } },
      env: { PRICING_FILE: pricing },
      webhooks: { flushIntervalMs: 20 },
    });
    await stack.db.query(
      "INSERT INTO templates (waba_id, name, language, category, status, parameter_format, components) VALUES ('', ?, 'en', 'MARKETING', 'APPROVED', 'POSITIONAL', ?)",
      [template, JSON.stringify([{ type: 'BODY', text: 'Hi {{1}}' }])],
    );
  });

  afterAll(async () => {
    await stack?.close();
    delete process.env.PRICING_FILE;
  });

  it('prices the estimate and the delivered messages from the same table, by country and category', async () => {
    const sender = await createSender(stack.url);
    // Four in Germany (listed: 0.25), two in France (not listed: the default, 0.10).
    const { listId } = await seedList(stack.db, 6, (i) => ({ country: i < 4 ? 'DE' : 'FR' }));
    const created = await request(stack.url)
      .post('/v1/broadcasts')
      .set(bearer())
      .send({
        name: `priced ${randomInt(1e9)}`,
        senderId: sender.id,
        template: { name: template, language: 'en' },
        audience: { listId },
        variables: { '1': '{{name}}' },
      })
      .expect(201);
    expect(created.body.estimatedCost).toEqual({ amount: 1.2, currency: 'EUR' });

    await broadcastCompleted(stack.url, created.body.id);
    const stats = await waitFor(
      async () => {
        const res = await request(stack.url).get(`/v1/broadcasts/${created.body.id}/stats`).set(bearer()).expect(200);
        return res.body.stats.delivered === 6 ? res.body : undefined;
      },
      20_000,
      'the delivered webhooks',
    );
    expect(stats.stats.cost).toBeCloseTo(1.2, 6);
    expect(stats.currency).toBe('EUR');
    const byCountry = Object.fromEntries(stats.countries.map((c: { country: string; cost: number }) => [c.country, c.cost]));
    expect(byCountry.DE).toBeCloseTo(1, 6);
    expect(byCountry.FR).toBeCloseTo(0.2, 6);
  });

  it('shows the table with its date to analysts', async () => {
    const card = await request(stack.url).get('/v1/pricing').set(bearer()).expect(200);
    expect(card.body).toEqual({
      currency: 'EUR',
      ratesDate: '2026-10-01',
      default: { marketing: 0.1 },
      countries: { DE: { marketing: 0.25 } },
    });
  });

  it.each([
    ['unreadable', () => join(dir, 'missing.json'), /PRICING_FILE .*missing\.json cannot be read \(ENOENT\)/],
    ['a wrong price', () => rateCard('typo.json', { default: { marketing: '0.05' } }), /typo\.json: default\.marketing must be a price/],
    ['not JSON', () => rateCard('broken.json', '{ "default": '), /broken\.json: .*JSON/],
  ])('refuses to boot on a price table that is %s, naming what is wrong', async (_, file, message) => {
    const app = spawnAppProcess('api', { PORT: String(await freePort()), PRICING_FILE: file() }, { expectFailure: true });
    const code = await app.exited;
    expect(code).not.toBe(0);
    expect(code).not.toBeNull();
    expect(app.stderr()).toMatch(message);
    expect(app.stderr()).not.toMatch(/^\s+at /m); // the message, not a stack
  });
});
