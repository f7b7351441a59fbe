import { IMPORT_TEST_DIR } from './fixtures/imports/env';
import { bearer } from './support/apps';
import { type ImportApps, startImportApps } from './fixtures/imports/import-apps';
import { freshMobile, Http, importSheet } from './fixtures/imports/import-helpers';

const attrs = (n: number, prefix = 'k') => Object.fromEntries(Array.from({ length: n }, (_, i) => [`${prefix}${i}`, 'v']));
const BIG = 'é'.repeat(2049); // 4,098 bytes in UTF-8, under 4,096 characters: the cap is in bytes
const LONG_KEY = 'k'.repeat(65);

/** Attribute caps (200 per contact, names ≤ 64 characters, values ≤ 4 KiB) on every path that writes them. */
describe('attribute limits', () => {
  let apps: ImportApps;
  let http: Http;
  void IMPORT_TEST_DIR;

  beforeAll(async () => {
    apps = await startImportApps();
    ({ http } = apps);
  });
  afterAll(() => apps?.close());

  const create = (attributes: Record<string, unknown>) =>
    http.post('/v1/contacts').set(bearer()).send({ phone: freshMobile(), defaultCountry: 'IN', attributes });

  it('POST /v1/contacts refuses each cap with a 400 that names it, and takes what is at the caps', async () => {
    const tooMany = await create(attrs(201)).expect(400);
    expect(tooMany.body.message).toContain('at most 200 attributes');
    expect((await create({ [LONG_KEY]: 'x' }).expect(400)).body.message).toContain('longer than 64 characters');
    expect((await create({ note: BIG }).expect(400)).body.message).toContain('larger than 4096 bytes');
    await create({ ...attrs(199), ['k'.repeat(64)]: 'é'.repeat(2048) }).expect(201);
  });

  it('PATCH /v1/contacts/:id counts the merge with what the contact already holds', async () => {
    const { body: contact } = await create(attrs(150)).expect(201);
    const over = await http
      .patch(`/v1/contacts/${contact.id}`)
      .set(bearer())
      .send({ attributes: attrs(51, 'm') })
      .expect(400);
    expect(over.body.message).toContain('this would make 201');
    // removing as many as are added stays at the cap
    const swap = { ...attrs(50, 'm'), ...Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, null])) };
    await http.patch(`/v1/contacts/${contact.id}`).set(bearer()).send({ attributes: swap }).expect(200);
    await http
      .patch(`/v1/contacts/${contact.id}`)
      .set(bearer())
      .send({ attributes: { [LONG_KEY]: 'x' } })
      .expect(400);
    await http
      .patch(`/v1/contacts/${contact.id}`)
      .set(bearer())
      .send({ attributes: { note: BIG } })
      .expect(400);
  });

  it('POST /v1/contacts/attributes refuses a value over 4 KiB and a merge past 200, changing nothing', async () => {
    const tag = `caps-${Date.now()}`;
    const { body: small } = await http
      .post('/v1/contacts')
      .set(bearer())
      .send({ phone: freshMobile(), defaultCountry: 'IN', tags: [tag] });
    const { body: full } = await http
      .post('/v1/contacts')
      .set(bearer())
      .send({ phone: freshMobile(), defaultCountry: 'IN', tags: [tag], attributes: attrs(199) });
    const bulk = (set: Record<string, string>) =>
      http
        .post('/v1/contacts/attributes')
        .set(bearer())
        .send({ filter: { tags: [tag] }, set });

    expect((await bulk({ note: 'x'.repeat(5000) }).expect(400)).body.message).toContain('4096 bytes');
    expect((await bulk({ [LONG_KEY]: 'x' }).expect(400)).body.message).toContain('64 characters');
    const over = await bulk({ a: '1', b: '2' }).expect(400);
    expect(over.body.message).toContain(`for contact ${full.id}`);
    expect((await http.get(`/v1/contacts/${small.id}`).set(bearer())).body.attributes).toEqual({});
    await bulk({ a: '1' }).expect(200);
  });

  it('an import row breaking a cap is a per-row error naming it; the other rows import', async () => {
    const phones = [freshMobile(), freshMobile(), freshMobile()];
    const csv = [`phone,city,${LONG_KEY}`, `${phones[0]},Pune,`, `${phones[1]},${'x'.repeat(5000)},`, `${phones[2]},Pune,oops`].join('\n');
    const result = await importSheet(http, Buffer.from(csv), { defaultCountry: 'IN' });
    expect(result).toMatchObject({ status: 'completed', created: 1, invalid: 2 });
    expect(result.errors).toEqual([
      { row: 2, reason: expect.stringContaining('larger than 4096 bytes') },
      { row: 3, reason: expect.stringContaining('longer than 64 characters') },
    ]);

    const wide = ['phone', ...Array.from({ length: 201 }, (_, i) => `c${i}`)];
    const row = [freshMobile(), ...Array.from({ length: 201 }, () => 'v')];
    const many = await importSheet(http, Buffer.from(`${wide.join(',')}\n${row.join(',')}\n`), { defaultCountry: 'IN' });
    expect(many).toMatchObject({ created: 0, invalid: 1 });
    expect(many.errors[0].reason).toContain('at most 200 attributes');
  });
});
