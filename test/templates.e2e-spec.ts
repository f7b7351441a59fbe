import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { TemplatesService } from '@clarion/templates';
import { bearer, startApi } from './support/apps';

describe('Templates API', () => {
  let app: INestApplication;
  let http: ReturnType<typeof request>;
  let marketer: string;
  const unique = () => `t_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6)}`;
  const body = (text: string) => ({ type: 'BODY', text });

  beforeAll(async () => {
    app = await startApi();
    http = request(app.getHttpServer());
    marketer = (await http.post('/v1/tokens').set(bearer()).send({ name: 'templates-m', role: 'marketer' }).expect(201)).body.token;
  });
  afterAll(() => app.close());

  it("creates a template in Meta's format as PENDING, detecting positional variables", async () => {
    const res = await http
      .post('/v1/templates')
      .set(bearer(marketer))
      .send({
        name: unique(),
        language: 'en_US',
        category: 'marketing',
        components: [
          { type: 'header', format: 'image' },
          body('Hi {{1}}, {{2}} is on sale'),
          { type: 'FOOTER', text: 'Reply STOP to opt out' },
        ],
      })
      .expect(201);
    expect(res.body).toMatchObject({ category: 'MARKETING', status: 'PENDING', parameter_format: 'positional' });
    expect(res.body.components[0]).toEqual({ type: 'HEADER', format: 'IMAGE' });
    const vars = await http.get(`/v1/templates/${res.body.id}/variables`).set(bearer(marketer)).expect(200);
    expect(vars.body).toMatchObject({ bodyCount: 2, header: { format: 'IMAGE', needsMedia: true } });
  });

  it.each([
    ['name', { name: 'Bad Name' }, /name must be lower-case/],
    ['category', { category: 'PROMOTION' }, /category must be MARKETING, UTILITY or AUTHENTICATION/],
    ['body length', { components: [body('x'.repeat(1025))] }, /BODY text is 1025 characters; at most 1024/],
    [
      'header length',
      { components: [{ type: 'HEADER', format: 'TEXT', text: 'h'.repeat(61) }, body('hi')] },
      /HEADER text is 61 characters; at most 60/,
    ],
    ['footer length', { components: [body('hi'), { type: 'FOOTER', text: 'f'.repeat(61) }] }, /FOOTER text is 61 characters; at most 60/],
    ['variable gaps', { components: [body('Hi {{1}} and {{3}}')] }, /without gaps; \{\{2\}\} is missing/],
    ['variable names', { components: [body('Hi {{FirstName}}')] }, /variable \{\{FirstName\}\} is not valid/],
    ['mixed variables', { components: [body('Hi {{first_name}}, order {{1}}')] }, /not mixed/],
    [
      'too many buttons',
      {
        components: [
          body('hi'),
          { type: 'BUTTONS', buttons: Array.from({ length: 11 }, (_, i) => ({ type: 'QUICK_REPLY', text: `b${i}` })) },
        ],
      },
      /at most 10 buttons/,
    ],
    ['missing body', { components: [{ type: 'FOOTER', text: 'x' }] }, /needs a BODY/],
  ])('refuses a template breaking the %s rule with a 400 naming it', async (_rule, patch, message) => {
    const res = await http
      .post('/v1/templates')
      .set(bearer(marketer))
      .send({ name: unique(), language: 'en', category: 'UTILITY', components: [body('hi')], ...patch })
      .expect(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request', message: expect.stringMatching(message) });
  });

  it('accepts named lower-case variables', async () => {
    const res = await http
      .post('/v1/templates')
      .set(bearer(marketer))
      .send({
        name: unique(),
        language: 'en_US',
        category: 'UTILITY',
        parameter_format: 'named',
        components: [body('Thank you, {{first_name}}! Order {{order_number}}.')],
      })
      .expect(201);
    expect(res.body.parameter_format).toBe('named');
  });

  it('refuses a duplicate name and language (409)', async () => {
    const name = unique();
    await http
      .post('/v1/templates')
      .set(bearer(marketer))
      .send({ name, language: 'en', category: 'UTILITY', components: [body('a')] })
      .expect(201);
    await http
      .post('/v1/templates')
      .set(bearer(marketer))
      .send({ name, language: 'en', category: 'UTILITY', components: [body('b')] })
      .expect(409);
  });

  it('lets only an admin set the status; only APPROVED templates are sendable', async () => {
    const name = unique();
    await http
      .post('/v1/templates')
      .set(bearer(marketer))
      .send({ name, language: 'en', category: 'UTILITY', components: [body('a')], status: 'APPROVED' })
      .expect(403);
    const created = await http
      .post('/v1/templates')
      .set(bearer(marketer))
      .send({ name, language: 'en', category: 'UTILITY', components: [body('Hi {{1}}')] })
      .expect(201);
    const templates = app.get(TemplatesService);
    await expect(templates.findSendable(name, 'en')).rejects.toThrow(/is PENDING; only APPROVED templates can be sent/);
    await expect(templates.findSendable(name, 'fr')).rejects.toThrow(/not found/);
    await http.put(`/v1/templates/${created.body.id}/status`).set(bearer(marketer)).send({ status: 'APPROVED' }).expect(403);
    await http.put(`/v1/templates/${created.body.id}/status`).set(bearer()).send({ status: 'APPROVED' }).expect(200);
    const sendable = await templates.findSendable(name, 'en');
    expect(sendable.variables.bodyCount).toBe(1);
  });

  it('edits a template (back to PENDING when its content changes) and deletes it', async () => {
    const created = await http
      .post('/v1/templates')
      .set(bearer())
      .send({ name: unique(), language: 'en', category: 'UTILITY', components: [body('a')], status: 'APPROVED' })
      .expect(201);
    expect(created.body.status).toBe('APPROVED');
    const edited = await http
      .patch(`/v1/templates/${created.body.id}`)
      .set(bearer(marketer))
      .send({ components: [body('b {{1}}')] })
      .expect(200);
    expect(edited.body).toMatchObject({ status: 'PENDING', components: [{ type: 'BODY', text: 'b {{1}}' }] });
    await http
      .patch(`/v1/templates/${created.body.id}`)
      .set(bearer(marketer))
      .send({ components: [body('{{2}}')] })
      .expect(400);
    await http.delete(`/v1/templates/${created.body.id}`).set(bearer(marketer)).expect(204);
    await http.get(`/v1/templates/${created.body.id}`).set(bearer(marketer)).expect(404);
  });

  it('exports as JSON and imports it back, reporting bad items without losing good ones', async () => {
    const name = unique();
    await http
      .post('/v1/templates')
      .set(bearer())
      .send({
        name,
        language: 'pt_BR',
        category: 'MARKETING',
        components: [body('Olá {{1}}'), { type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'Parar' }] }],
        status: 'APPROVED',
      })
      .expect(201);
    const exported = await http.get('/v1/templates/export').set(bearer(marketer)).expect(200);
    const item = exported.body.templates.find((t: { name: string }) => t.name === name);
    expect(item).toEqual({
      name,
      language: 'pt_BR',
      category: 'MARKETING',
      parameter_format: 'positional',
      status: 'APPROVED',
      components: [
        { type: 'BODY', text: 'Olá {{1}}' },
        { type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'Parar' }] },
      ],
    });

    const list = await http.get(`/v1/templates?search=${name}`).set(bearer()).expect(200);
    await http.delete(`/v1/templates/${list.body.data[0].id}`).set(bearer()).expect(204);

    const other = unique();
    const imported = await http
      .post('/v1/templates/import')
      .set(bearer())
      .send({ templates: [item, { ...item, name: 'Not Valid' }, { ...item, name: other, components: [body('x'.repeat(2000))] }] })
      .expect(200);
    expect(imported.body).toEqual({
      created: 1,
      updated: 0,
      errors: [
        { index: 1, name: 'Not Valid', message: expect.stringMatching(/name must be lower-case/) },
        { index: 2, name: other, message: expect.stringMatching(/at most 1024/) },
      ],
    });
    const again = await http.get('/v1/templates/export').set(bearer()).expect(200);
    expect(again.body.templates.find((t: { name: string }) => t.name === name)).toEqual(item);

    // A marketer's re-import keeps an unchanged template approved; a changed one needs approval again.
    const reimport = await http.post('/v1/templates/import').set(bearer(marketer)).send([item]).expect(200);
    expect(reimport.body).toMatchObject({ created: 0, updated: 1 });
    expect((await http.get(`/v1/templates?search=${name}`).set(bearer()).expect(200)).body.data[0].status).toBe('APPROVED');
    await http
      .post('/v1/templates/import')
      .set(bearer(marketer))
      .send([{ ...item, components: [body('Olá de novo {{1}}')] }])
      .expect(200);
    expect((await http.get(`/v1/templates?search=${name}`).set(bearer()).expect(200)).body.data[0].status).toBe('PENDING');
  });

  it('pages the list and filters by status', async () => {
    const page = await http.get('/v1/templates?limit=1').set(bearer(marketer)).expect(200);
    expect(page.body.data).toHaveLength(1);
    expect(page.body.nextCursor).toEqual(expect.any(String));
    const approved = await http.get('/v1/templates?status=APPROVED&limit=1000').set(bearer(marketer)).expect(200);
    expect(approved.body.data.every((t: { status: string }) => t.status === 'APPROVED')).toBe(true);
    await http.get('/v1/templates?status=NOPE').set(bearer(marketer)).expect(400);
  });
});
