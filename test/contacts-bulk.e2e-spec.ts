import request from 'supertest';
import { bearer } from './support/apps';
import { approveDemoTemplates, broadcastCompleted, createSender, seedList } from './support/broadcast-fixtures';
import { waitFor } from './support/processes';
import { startStack, type Stack } from './support/stack';

/**
 * POST /v1/contacts/bulk (tag, untag, add to a list, delete: on a filter or on selected ids) and
 * GET /v1/contacts/:id/messages (the broadcasts a contact received), against the real API,
 * worker, sandbox and MariaDB.
 */
describe('contacts bulk actions and a contact’s messages (BulkContacts, ContactMessagesQuery)', () => {
  let stack: Stack;
  const api = () => request(stack.url);
  const bulk = (body: object) => api().post('/v1/contacts/bulk').set(bearer()).send(body);
  const tagsOf = async (ids: number[]) => {
    const rows: Array<{ contact_id: string; tag: string }> = await stack.db.query(
      'SELECT contact_id, tag FROM contact_tags WHERE contact_id IN (?)',
      [ids],
    );
    return rows.map((r) => `${r.contact_id}:${r.tag}`).sort();
  };

  beforeAll(async () => {
    stack = await startStack({ sandbox: { defaultMps: 100_000 }, webhooks: {} });
    await approveDemoTemplates(stack.db);
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('tags exactly the contacts a filter matches, every match once, and untags them again', async () => {
    const run = `b${Date.now().toString(36)}`;
    const { listId, contacts } = await seedList(stack.db, 30, (i) => ({ attributes: { plan: i % 3 === 0 ? `gold-${run}` : 'free' } }));
    const gold = contacts.filter((_, i) => i % 3 === 0).map((c) => c.id);
    const filter = { listId, attribute: { plan: `gold-${run}` } };

    const tagged = await bulk({ filter, action: 'tag', tags: [`${run}-vip`, ` ${run}-vip `] });
    expect(tagged.status).toBe(200);
    expect(tagged.body).toEqual({ matched: gold.length });
    expect(await tagsOf(contacts.map((c) => c.id))).toEqual(gold.map((id) => `${id}:${run}-vip`).sort());
    // Tagging again adds nothing twice.
    expect((await bulk({ filter, action: 'tag', tags: [`${run}-vip`] })).body).toEqual({ matched: gold.length });
    expect(await tagsOf(gold)).toHaveLength(gold.length);
    const listed = await api().get(`/v1/contacts?tag=${run}-vip&limit=100`).set(bearer()).expect(200);
    expect(listed.body.data.map((c: { id: number }) => c.id).sort((a: number, b: number) => a - b)).toEqual(gold);

    expect((await bulk({ filter: { contactIds: gold.slice(0, 2) }, action: 'untag', tags: [`${run}-vip`] })).body).toEqual({ matched: 2 });
    expect(await tagsOf(gold)).toHaveLength(gold.length - 2);
  });

  it('adds a selection to a list and deletes another, leaving the rest alone', async () => {
    const { listId, contacts } = await seedList(stack.db, 10);
    const other = (
      await api()
        .post('/v1/lists')
        .set(bearer())
        .send({ name: `bulk ${Date.now()}` })
        .expect(201)
    ).body.id as number;
    const chosen = contacts.slice(0, 4).map((c) => c.id);
    expect((await bulk({ filter: { contactIds: chosen }, action: 'addToList', listId: other })).body).toEqual({ matched: 4 });
    const members = await api().get(`/v1/contacts?listId=${other}`).set(bearer()).expect(200);
    expect(members.body.data.map((c: { id: number }) => c.id)).toEqual(chosen);

    const doomed = contacts.slice(8).map((c) => c.id);
    await bulk({ filter: { contactIds: doomed }, action: 'tag', tags: ['doomed'] }).expect(200);
    expect((await bulk({ filter: { contactIds: doomed }, action: 'delete' })).body).toEqual({ matched: 2 });
    for (const id of doomed) expect((await api().get(`/v1/contacts/${id}`).set(bearer())).status).toBe(404);
    expect(await tagsOf(doomed)).toEqual([]);
    const left = await api().get(`/v1/contacts?listId=${listId}`).set(bearer()).expect(200);
    expect(left.body.data).toHaveLength(8);
  });

  it('refuses bad input with a 4xx naming it, and analysts altogether', async () => {
    const cases: Array<[object, number, RegExp]> = [
      [{ filter: {}, action: 'explode' }, 400, /action must be one of/],
      [{ filter: {}, action: 'tag' }, 400, /tags/],
      [{ filter: {}, action: 'tag', tags: [] }, 400, /tags must contain at least 1/],
      [{ filter: {}, action: 'tag', tags: ['x'.repeat(101)] }, 400, /tags/],
      [{ filter: {}, action: 'addToList' }, 400, /listId/],
      [{ filter: {}, action: 'addToList', listId: 987654 }, 404, /list/],
      [{ action: 'delete' }, 400, /filter/],
      [{ filter: { contactIds: 'all' }, action: 'delete' }, 400, /contactIds/],
    ];
    for (const [body, status, message] of cases) {
      const res = await bulk(body);
      expect({ body, status: res.status }).toEqual({ body, status });
      expect(JSON.stringify(res.body.message)).toMatch(message);
    }
    const analyst = (
      await api()
        .post('/v1/tokens')
        .set(bearer())
        .send({ name: `analyst ${Date.now()}`, role: 'analyst' })
        .expect(201)
    ).body.token;
    const refused = await api()
      .post('/v1/contacts/bulk')
      .set({ Authorization: `Bearer ${analyst}` })
      .send({ filter: {}, action: 'delete' });
    expect(refused.status).toBe(403);
  });

  it("lists the broadcasts a contact received, newest first, with each message's status, paged by cursor", async () => {
    const sender = await createSender(stack.url);
    const { listId, contacts } = await seedList(stack.db, 2);
    const contact = contacts[0].id;
    const ids: number[] = [];
    for (const name of ['first', 'second', 'third']) {
      // The second one is refused for this contact by WhatsApp.
      stack.sandbox.configure({ rejectNumbers: name === 'second' ? { [contacts[0].phone.replace('+', '')]: 131026 } : {} });
      const res = await api()
        .post('/v1/broadcasts')
        .set(bearer())
        .send({ name, senderId: sender.id, template: { name: 'hello_world', language: 'en_US' }, audience: { listId }, variables: {} })
        .expect(201);
      ids.push(res.body.id);
      await broadcastCompleted(stack.url, res.body.id);
    }
    stack.sandbox.configure({ rejectNumbers: {} });
    // The status webhooks of the last one come back after it completes.
    const first = await waitFor(
      async () => {
        const res = await api().get(`/v1/contacts/${contact}/messages?limit=2`).set(bearer()).expect(200);
        return res.body.data[0]?.status !== 'queued' ? res : undefined;
      },
      15_000,
      'the status webhooks',
    );
    expect(first.body.data.map((m: { broadcastName: string }) => m.broadcastName)).toEqual(['third', 'second']);
    expect(first.body.data[0]).toMatchObject({ broadcastId: ids[2], errorCode: null });
    expect(['sent', 'delivered', 'read']).toContain(first.body.data[0].status);
    expect(first.body.data[1]).toMatchObject({ broadcastId: ids[1], status: 'failed', errorCode: 131026 });
    const second = await api().get(`/v1/contacts/${contact}/messages?limit=2&cursor=${first.body.nextCursor}`).set(bearer()).expect(200);
    expect(second.body).toMatchObject({ data: [{ broadcastId: ids[0], broadcastName: 'first' }], nextCursor: null });

    expect((await api().get('/v1/contacts/99999999/messages').set(bearer())).status).toBe(404);
    expect((await api().get(`/v1/contacts/${contact}/messages?cursor=nonsense`).set(bearer())).status).toBe(400);
  });
});
