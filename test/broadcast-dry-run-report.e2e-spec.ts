import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { bearer, startApi } from './support/apps';
import { approveDemoTemplates, createSender, seedList } from './support/broadcast-fixtures';

/**
 * What the composer reads from the API: the dry run's cost by country, one chosen contact
 * rendered wherever it sits in the audience, and the attribute names of an audience.
 */
describe('the composer’s API: dry-run report, copy as a draft, attribute keys', () => {
  let api: INestApplication;
  let url: string;
  let db: DataSource;

  beforeAll(async () => {
    api = await startApi({ WHATSAPP_GRAPH_URL: 'http://127.0.0.1:9' });
    url = await api.getUrl();
    db = api.get(DataSource);
    await approveDemoTemplates(db);
  });
  afterAll(() => api?.close());

  const orderUpdate = { template: { name: 'order_update', language: 'en_US' }, variables: { '1': '{{name}}', '2': '{{order|soon}}' } };

  it('breaks the eligible recipients down by country at the price table, and renders one chosen contact', async () => {
    const sender = await createSender(url);
    const { listId, contacts } = await seedList(db, 30, (i) => ({
      country: i < 5 ? 'IN' : 'DE',
      optedOut: i === 6,
      name: `Person ${i}`,
      attributes: (i === 25 ? {} : { order: `O-${i}` }) as Record<string, string>,
    }));
    const body = { name: 'by country', senderId: sender.id, audience: { listId }, ...orderUpdate };

    const dry = await request(url)
      .post('/v1/broadcasts/dry-run')
      .set(bearer())
      .send({ ...body, previewContact: { phone: contacts[25].phone.replace('+', '+ ') } })
      .expect(200);
    expect(dry.body).toMatchObject({ total: 30, wouldSend: 29, category: 'UTILITY', currency: 'USD' });
    // config/pricing.json: UTILITY is 0.0550 in DE and 0.0014 in IN.
    expect(dry.body.byCountry).toEqual([
      { country: 'DE', recipients: 24, unitPrice: 0.055, cost: 1.32 },
      { country: 'IN', recipients: 5, unitPrice: 0.0014, cost: 0.007 },
    ]);
    expect(dry.body.samples[0]).toMatchObject({ contactId: contacts[0].id, name: 'Person 0' });
    expect(dry.body.preview).toEqual({
      contactId: contacts[25].id,
      phone: contacts[25].phone,
      name: 'Person 25',
      skipReason: null,
      message: null,
      components: [
        {
          type: 'body',
          parameters: [
            { type: 'text', text: 'Person 25' },
            { type: 'text', text: 'soon' },
          ],
        },
      ],
    });

    const optedOut = await request(url)
      .post('/v1/broadcasts/dry-run')
      .set(bearer())
      .send({ ...body, previewContact: { contactId: contacts[6].id } })
      .expect(200);
    expect(optedOut.body.preview).toMatchObject({ contactId: contacts[6].id, skipReason: 'opted_out', components: [] });

    const elsewhere = await request(url)
      .post('/v1/broadcasts/dry-run')
      .set(bearer())
      .send({ ...body, previewContact: { phone: '+14155550100' } })
      .expect(200);
    expect(elsewhere.body.preview).toBeNull();

    const bad = await request(url)
      .post('/v1/broadcasts/dry-run')
      .set(bearer())
      .send({ ...body, previewContact: { contactId: 'seven' } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.message)).toMatch(/contactId/);
  });

  it('copies a broadcast as a draft when asked, which is not scheduled', async () => {
    const sender = await createSender(url);
    const { listId } = await seedList(db, 2, () => ({ attributes: { order: 'A-1' } }));
    const source = await request(url)
      .post('/v1/broadcasts')
      .set(bearer())
      .send({ name: 'source', senderId: sender.id, audience: { listId }, ...orderUpdate, scheduledAt: '2099-01-01T00:00:00Z' })
      .expect(201);
    const copy = await request(url).post(`/v1/broadcasts/${source.body.id}/copy`).set(bearer()).send({ draft: true }).expect(201);
    expect(copy.body).toMatchObject({ name: 'source (copy)', status: 'draft', scheduledAt: null, copiedFromId: source.body.id });
    expect((await request(url).post(`/v1/broadcasts/${source.body.id}/copy`).set(bearer()).send({ draft: 'yes' })).status).toBe(400);
  });

  it("lists the attribute names of a list's contacts", async () => {
    const { listId } = await seedList(db, 3, (i) => ({
      attributes: (i === 0 ? { city: 'Pune', plan: 'Gold' } : { tier: 'B' }) as Record<string, string>,
    }));
    const res = await request(url).get(`/v1/contacts/attribute-keys?listId=${listId}`).set(bearer()).expect(200);
    expect(res.body).toEqual({ keys: ['city', 'plan', 'tier'] });
    expect((await request(url).get('/v1/contacts/attribute-keys?listId=0').set(bearer())).status).toBe(400);
  });
});
