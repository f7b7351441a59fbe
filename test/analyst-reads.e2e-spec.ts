import type { INestApplication } from '@nestjs/common';
import { randomInt } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { bearer, startApi } from './support/apps';

/** Analysts read what explains a campaign's numbers (contacts, templates, senders, imports) and change none of it. */
describe('Analyst read access (e2e)', () => {
  let api: INestApplication;
  let http: ReturnType<typeof request>;
  let analyst: Record<string, string>;
  let contactId: number;
  let senderId: number;
  let importId: number;
  let templateId: number;

  beforeAll(async () => {
    delete process.env.ANALYST_CONTACT_EXPORT;
    api = await startApi();
    http = request(api.getHttpServer());
    const db = api.get(DataSource);
    analyst = bearer((await http.post('/v1/tokens').set(bearer()).send({ name: 'analyst-reads', role: 'analyst' }).expect(201)).body.token);
    contactId = (
      await http
        .post('/v1/contacts')
        .set(bearer())
        .send({ phone: `+4915190${String(randomInt(1e6)).padStart(6, '0')}`, name: 'Read Me' })
        .expect(201)
    ).body.id;
    senderId = (
      await http
        .post('/v1/senders')
        .set(bearer())
        .send({ name: 'Readable', api: 'cloud', phoneNumberId: `ar${randomInt(1e9)}`, accessToken: 'EAAG-analyst-secret-token' })
        .expect(201)
    ).body.id;
    importId = Number(
      (await db.query("INSERT INTO imports (status, file_path, options) VALUES ('completed', '/nowhere', '{\"mode\":\"upsert\"}')"))
        .insertId,
    );
    templateId = (
      await http
        .post('/v1/templates')
        .set(bearer())
        .send({ name: `analyst_${randomInt(1e9)}`, language: 'en', category: 'UTILITY', components: [{ type: 'BODY', text: 'Hi' }] })
        .expect(201)
    ).body.id;
  });
  afterAll(async () => {
    await api?.close();
  });

  it.each([
    ['/v1/contacts', () => ''],
    ['/v1/contacts/:id', () => String(contactId)],
    ['/v1/lists', () => ''],
    ['/v1/templates', () => ''],
    ['/v1/templates/:id', () => String(templateId)],
    ['/v1/templates/:id/variables', () => String(templateId)],
    ['/v1/templates/export', () => ''],
    ['/v1/senders', () => ''],
    ['/v1/senders/:id', () => String(senderId)],
    ['/v1/imports', () => ''],
    ['/v1/imports/:id', () => String(importId)],
  ])('lets an analyst read %s', async (path, id) => {
    const res = await http.get(path.replace(':id', id())).set(analyst).expect(200);
    expect(JSON.stringify(res.body)).not.toContain('EAAG-analyst-secret-token');
  });

  it('shows an analyst what was asked for', async () => {
    expect((await http.get(`/v1/contacts/${contactId}`).set(analyst).expect(200)).body).toMatchObject({ id: contactId, name: 'Read Me' });
    expect((await http.get(`/v1/senders/${senderId}`).set(analyst).expect(200)).body).toMatchObject({ id: senderId, name: 'Readable' });
    const imports = (await http.get('/v1/imports').set(analyst).expect(200)).body.data;
    expect(imports.map((i: { id: number }) => i.id)).toContain(importId);
  });

  it.each([
    ['post', '/v1/contacts', { phone: '+491519000001' }],
    ['patch', '/v1/contacts/:c', { name: 'x' }],
    ['delete', '/v1/contacts/:c', null],
    ['post', '/v1/contacts/attributes', { filter: {}, set: { a: 'b' } }],
    ['post', '/v1/lists', { name: 'nope' }],
    ['post', '/v1/imports', null],
    ['post', '/v1/templates', { name: 'nope', language: 'en', category: 'UTILITY', components: [] }],
    ['patch', '/v1/templates/:t', { category: 'MARKETING' }],
    ['post', '/v1/templates/import', []],
    ['post', '/v1/senders', { name: 'n', api: 'cloud', phoneNumberId: '1', accessToken: 't' }],
    ['patch', '/v1/senders/:s', { throughputMps: 1 }],
    ['post', '/v1/senders/:s/sync', null],
  ] as Array<['post' | 'patch' | 'delete', string, object | null]>)('refuses an analyst %s %s with 403', async (method, path, body) => {
    const url = path.replace(':c', String(contactId)).replace(':t', String(templateId)).replace(':s', String(senderId));
    const req = http[method](url).set(analyst);
    const res = await (body === null ? req : req.send(body));
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ statusCode: 403, message: 'the analyst role may not do this' });
  });

  it('refuses analysts the bulk export of phones (contacts CSV, an import’s rejected rows) unless ANALYST_CONTACT_EXPORT allows it', async () => {
    const res = await http.get('/v1/contacts/export.csv').set(analyst).expect(403);
    expect(res.body.message).toContain('ANALYST_CONTACT_EXPORT=true');
    await http.get(`/v1/imports/${importId}/errors.csv`).set(analyst).expect(403);
    await http.get('/v1/contacts/export.csv').set(bearer()).expect(200);

    const allowing = await startApi({ ANALYST_CONTACT_EXPORT: 'true' });
    try {
      const csv = await request(allowing.getHttpServer()).get('/v1/contacts/export.csv').set(analyst).expect(200);
      expect(csv.text).toContain('Read Me');
    } finally {
      delete process.env.ANALYST_CONTACT_EXPORT;
      await allowing.close();
    }
  });
});
