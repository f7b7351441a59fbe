import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { bearer, startApi } from './support/apps';

describe('API auth and roles', () => {
  let app: INestApplication;
  let http: ReturnType<typeof request>;

  beforeAll(async () => {
    app = await startApi();
    http = request(app.getHttpServer());
  });
  afterAll(() => app.close());

  it('answers /health without a token, naming MySQL and Redis', async () => {
    const res = await http.get('/health').expect(200);
    expect(res.body).toMatchObject({ status: 'ok', mysql: 'up', redis: 'up' });
  });

  it('serves Prometheus metrics', async () => {
    const res = await http.get('/metrics').expect(200);
    expect(res.text).toContain('clarion_process_cpu_seconds_total');
  });

  it('publishes OpenAPI at /docs', async () => {
    const res = await http.get('/docs-json').expect(200);
    expect(res.body.paths['/v1/tokens']).toBeDefined();
  });

  it('refuses a missing token with 401', async () => {
    const res = await http.get('/v1/tokens').expect(401);
    expect(res.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: expect.stringContaining('bearer') });
  });

  it('refuses an unknown token with 401', async () => {
    await http.get('/v1/tokens').set(bearer('clr_nope')).expect(401);
  });

  it('lets the admin issue, list and revoke tokens; the plain token is shown once', async () => {
    const issued = await http.post('/v1/tokens').set(bearer()).send({ name: 'analysts', role: 'analyst' }).expect(201);
    expect(issued.body.token).toMatch(/^clr_/);
    const list = await http.get('/v1/tokens').set(bearer()).expect(200);
    const row = list.body.data.find((t: { id: number }) => t.id === issued.body.id);
    expect(row).toMatchObject({ name: 'analysts', role: 'analyst', revokedAt: null });
    expect(JSON.stringify(list.body)).not.toContain(issued.body.token);

    await http.delete(`/v1/tokens/${issued.body.id}`).set(bearer()).expect(204);
    await http.get('/v1/tokens').set(bearer(issued.body.token)).expect(401);
    await http.delete(`/v1/tokens/${issued.body.id}`).set(bearer()).expect(404);
  });

  it('forbids a non-admin role from admin endpoints with 403', async () => {
    const marketer = await http.post('/v1/tokens').set(bearer()).send({ name: 'm', role: 'marketer' }).expect(201);
    const res = await http.get('/v1/tokens').set(bearer(marketer.body.token)).expect(403);
    expect(res.body.message).toContain('marketer');
  });

  it('refuses a wrong field and an unknown role with 400 naming them', async () => {
    const res = await http.post('/v1/tokens').set(bearer()).send({ name: 'x', role: 'boss', extra: 1 }).expect(400);
    expect(res.body.message.join(' ')).toMatch(/role/);
    expect(res.body.message.join(' ')).toMatch(/extra/);
  });

  it('answers malformed JSON with 400, not 500', async () => {
    const res = await http.post('/v1/tokens').set(bearer()).set('Content-Type', 'application/json').send('{"name":').expect(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request', message: expect.stringMatching(/JSON/) });
  });
});
