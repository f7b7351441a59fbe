import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { bearer, startApi } from './support/apps';
import { freshMobile, Http } from './fixtures/imports/import-helpers';

interface ContactBody {
  id: number;
  phone: string;
  name: string | null;
  attributes: Record<string, string>;
  optedOut: boolean;
  optedOutAt: string | null;
  tags: string[];
  listIds: number[];
}

/** The contacts API against the real app and MariaDB. */
describe('contacts API', () => {
  let app: INestApplication;
  let http: Http;
  const run = `c${Date.now().toString(36)}`;
  const created: ContactBody[] = [];
  let listId: number;

  beforeAll(async () => {
    app = await startApi();
    http = request(app.getHttpServer());
    const people: Array<[string | null, Record<string, string>, string[]]> = [
      [`Asha ${run}`, { City: 'Pune', Plan: 'Gold' }, [`${run}-vip`]],
      [`Ravi ${run}`, { City: 'Delhi', Plan: 'Free' }, [`${run}-new`]],
      [`Meera ${run}`, { City: 'Pune', Plan: 'Free' }, []],
      [null, { City: 'Pune' }, [`${run}-vip`]],
      [`=cmd ${run}`, { Note: '@risky', City: 'Goa' }, [`${run}-x`]],
    ];
    for (const [name, attributes, tags] of people) {
      const res = await http
        .post('/v1/contacts')
        .set(bearer())
        .send({ phone: `0${freshMobile()}`, defaultCountry: 'IN', ...(name ? { name } : {}), attributes, tags })
        .expect(201);
      created.push(res.body);
    }
  });
  afterAll(() => app.close());

  const ids = (body: { data: ContactBody[] }) => body.data.map((c) => c.id);

  it('creates contacts in E.164 with attributes and tags, and refuses a second contact for the same number', async () => {
    expect(created[0]).toMatchObject({
      phone: expect.stringMatching(/^\+9197\d{8}$/),
      name: `Asha ${run}`,
      attributes: { City: 'Pune', Plan: 'Gold' },
      tags: [`${run}-vip`],
      optedOut: false,
    });
    const res = await http
      .post('/v1/contacts')
      .set(bearer())
      .send({ phone: created[0].phone.replace('+91', '+91 ') })
      .expect(409);
    expect(res.body.message).toContain(created[0].phone);
  });

  it('refuses bad input with 400 naming the field', async () => {
    expect((await http.post('/v1/contacts').set(bearer()).send({ phone: '12345', defaultCountry: 'IN' }).expect(400)).body.message).toMatch(
      /phone: invalid phone '12345'/,
    );
    expect((await http.post('/v1/contacts').set(bearer()).send({ name: 'x' }).expect(400)).body.message.join(' ')).toMatch(/phone/);
    expect(
      (
        await http
          .post('/v1/contacts')
          .set(bearer())
          .send({ phone: `+91${freshMobile()}`, attributes: { a: { b: 1 } } })
          .expect(400)
      ).body.message,
    ).toMatch(/attributes.a must be text/);
    await http.get('/v1/contacts?sort=colour').set(bearer()).expect(400);
    await http.get('/v1/contacts?cursor=garbage').set(bearer()).expect(400);
    await http.get('/v1/contacts/987654321').set(bearer()).expect(404);
  });

  it('finds a contact by its phone in any spelling, and by name', async () => {
    const phone = created[1].phone; // +9197xxxxxxxx
    const national = phone.slice(3);
    for (const spelling of [phone, `+91 ${national.slice(0, 5)} ${national.slice(5)}`, `0${national}`, national.slice(2)]) {
      const res = await http.get('/v1/contacts').query({ search: spelling }).set(bearer()).expect(200);
      expect(ids(res.body)).toContain(created[1].id);
    }
    const byName = await http
      .get('/v1/contacts')
      .query({ search: `ravi ${run}` })
      .set(bearer())
      .expect(200);
    expect(ids(byName.body)).toEqual([created[1].id]);
  });

  it('filters by tag (any of), attribute value and opt-out state', async () => {
    const vip = await http
      .get('/v1/contacts')
      .query({ tag: `${run}-vip,${run}-new` })
      .set(bearer())
      .expect(200);
    expect(ids(vip.body).sort()).toEqual([created[0].id, created[1].id, created[3].id].sort());
    const pune = await http.get(`/v1/contacts?attribute[City]=Pune&search=${run}`).set(bearer()).expect(200);
    expect(ids(pune.body).sort()).toEqual([created[0].id, created[2].id].sort());
    const puneFree = await http
      .get(`/v1/contacts?attribute[City]=Pune&attribute[Plan]=Free&tag=${run}-vip,${run}-new`)
      .set(bearer())
      .expect(200);
    expect(ids(puneFree.body)).toEqual([]);
  });

  it('sorts by name both ways and pages with cursors without gaps or repeats', async () => {
    const tags = `${run}-vip,${run}-new,${run}-x`;
    for (const sort of ['name', '-name', 'phone', '-createdAt', 'id']) {
      const seen: number[] = [];
      let cursor: string | null = null;
      do {
        const res: request.Response = await http
          .get('/v1/contacts')
          .query({ tag: tags, sort, limit: 1, ...(cursor ? { cursor } : {}) })
          .set(bearer())
          .expect(200);
        seen.push(...ids(res.body));
        cursor = res.body.nextCursor;
      } while (cursor);
      expect(seen.sort()).toEqual([created[0].id, created[1].id, created[3].id, created[4].id].sort());
    }
    const byName = await http.get('/v1/contacts').query({ tag: tags, sort: 'name', limit: 10 }).set(bearer()).expect(200);
    expect(byName.body.data.map((c: ContactBody) => c.name)).toEqual([null, `=cmd ${run}`, `Asha ${run}`, `Ravi ${run}`]);
    const desc = await http.get('/v1/contacts').query({ tag: tags, sort: '-name', limit: 10 }).set(bearer()).expect(200);
    expect(desc.body.data.map((c: ContactBody) => c.name)).toEqual([`Ravi ${run}`, `Asha ${run}`, `=cmd ${run}`, null]);
  });

  it('updates a contact: merges attributes (null removes), replaces tags and lists, sets the opt-out state', async () => {
    const id = created[2].id;
    const patched = await http
      .patch(`/v1/contacts/${id}`)
      .set(bearer())
      .send({ name: 'Meera R', attributes: { Plan: null, Tier: 'A' }, tags: [`${run}-patched`] })
      .expect(200);
    expect(patched.body).toMatchObject({ name: 'Meera R', attributes: { City: 'Pune', Tier: 'A' }, tags: [`${run}-patched`] });
    expect(patched.body.attributes).not.toHaveProperty('Plan');

    const out = await http.patch(`/v1/contacts/${id}`).set(bearer()).send({ optedOut: true }).expect(200);
    expect(out.body).toMatchObject({ optedOut: true, optedOutAt: expect.any(String) });
    const optedOut = await http.get('/v1/contacts').query({ optedOut: 'true', search: 'Meera R' }).set(bearer()).expect(200);
    expect(ids(optedOut.body)).toEqual([id]);
    const back = await http.patch(`/v1/contacts/${id}`).set(bearer()).send({ optedOut: false }).expect(200);
    expect(back.body).toMatchObject({ optedOut: false, optedOutAt: null });

    await http.patch(`/v1/contacts/${id}`).set(bearer()).send({ phone: created[0].phone }).expect(409);
    await http
      .patch(`/v1/contacts/${id}`)
      .set(bearer())
      .send({ listIds: [987654] })
      .expect(404);
    await http.patch(`/v1/contacts/${id}`).set(bearer()).send({ unknown: 1 }).expect(400);
  });

  it('creates lists, puts contacts in them and filters by list', async () => {
    const list = await http
      .post('/v1/lists')
      .set(bearer())
      .send({ name: `list ${run}` })
      .expect(201);
    expect(list.body).toMatchObject({ id: expect.any(Number), name: `list ${run}`, size: 0 });
    listId = list.body.id;
    await http
      .patch(`/v1/contacts/${created[0].id}`)
      .set(bearer())
      .send({ listIds: [listId] })
      .expect(200);
    await http
      .patch(`/v1/contacts/${created[1].id}`)
      .set(bearer())
      .send({ listIds: [listId] })
      .expect(200);
    const members = await http.get('/v1/contacts').query({ listId }).set(bearer()).expect(200);
    expect(ids(members.body).sort()).toEqual([created[0].id, created[1].id].sort());
    const lists = await http.get('/v1/lists').query({ search: run }).set(bearer()).expect(200);
    expect(lists.body).toEqual({ data: [expect.objectContaining({ id: listId, size: 2 })], nextCursor: null });
    await http.get(`/v1/lists/${listId}`).set(bearer()).expect(200);
    await http.get('/v1/lists/987654').set(bearer()).expect(404);
  });

  it('sets and unsets an attribute over a filter', async () => {
    const res = await http
      .post('/v1/contacts/attributes')
      .set(bearer())
      .send({ filter: { tags: [`${run}-vip`] }, set: { Segment: 'Diwali' }, unset: ['City'] })
      .expect(200);
    expect(res.body).toEqual({ matched: 2 });
    const asha = await http.get(`/v1/contacts/${created[0].id}`).set(bearer()).expect(200);
    expect(asha.body.attributes).toEqual({ Plan: 'Gold', Segment: 'Diwali' });
    const ravi = await http.get(`/v1/contacts/${created[1].id}`).set(bearer()).expect(200);
    expect(ravi.body.attributes).not.toHaveProperty('Segment');
    await http.post('/v1/contacts/attributes').set(bearer()).send({ filter: {} }).expect(400);
    await http
      .post('/v1/contacts/attributes')
      .set(bearer())
      .send({ set: { a: 'b' } })
      .expect(400);
  });

  it('exports the filtered contacts as formula-safe CSV with a column per attribute', async () => {
    const res = await http
      .get('/v1/contacts/export.csv')
      .query({ tag: `${run}-x` })
      .set(bearer())
      .expect(200);
    expect(res.headers['content-type']).toContain('text/csv');
    const [header, line, end] = res.text.replace(/^\uFEFF/, '').split('\n');
    expect(header).toBe('id,phone,name,country,optedOut,tags,listIds,createdAt,City,Note');
    expect(line.startsWith(`${created[4].id},'+91`)).toBe(true);
    expect(line).toContain(`,'=cmd ${run},IN,false,${run}-x,,`);
    expect(line.endsWith(",Goa,'@risky")).toBe(true);
    expect(end).toBe('');
  });

  it('deletes a contact', async () => {
    await http.delete(`/v1/contacts/${created[3].id}`).set(bearer()).expect(204);
    await http.get(`/v1/contacts/${created[3].id}`).set(bearer()).expect(404);
    await http.delete(`/v1/contacts/${created[3].id}`).set(bearer()).expect(404);
  });

  it('is for marketers: analysts read but do not change or bulk-export (403), no token 401', async () => {
    const marketer = (await http.post('/v1/tokens').set(bearer()).send({ name: 'c-m', role: 'marketer' }).expect(201)).body.token;
    const analyst = (await http.post('/v1/tokens').set(bearer()).send({ name: 'c-a', role: 'analyst' }).expect(201)).body.token;
    await http.get('/v1/contacts').set(bearer(marketer)).expect(200);
    await http.get('/v1/lists').set(bearer(marketer)).expect(200);
    await http.get('/v1/contacts').set(bearer(analyst)).expect(200);
    await http.post('/v1/contacts').set(bearer(analyst)).send({ phone: '+919876543210' }).expect(403);
    await http.get('/v1/contacts/export.csv').set(bearer(analyst)).expect(403);
    await http.get('/v1/contacts').expect(401);
  });
});
