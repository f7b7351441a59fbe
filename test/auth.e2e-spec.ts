import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { ADMIN_TOKEN, bearer, startApi } from './support/apps';

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

describe('API token expiry, listing and revocation', () => {
  let app: INestApplication;
  let http: ReturnType<typeof request>;

  beforeAll(async () => {
    app = await startApi();
    http = request(app.getHttpServer());
  });
  afterAll(() => app.close());

  it('issues a token expiring in some days, or at a time, and lists it with its expiry', async () => {
    const inDays = await http.post('/v1/tokens').set(bearer()).send({ name: 'ci', role: 'marketer', expiresInDays: 30 }).expect(201);
    const days = (new Date(inDays.body.expiresAt).getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThanOrEqual(30);
    await http.get('/v1/auth/me').set(bearer(inDays.body.token)).expect(200);

    const at = await http
      .post('/v1/tokens')
      .set(bearer())
      .send({ name: 'partner', role: 'analyst', expiresAt: '2099-01-01T00:00:00Z' })
      .expect(201);
    expect(at.body.expiresAt).toBe('2099-01-01T00:00:00.000Z');

    const list = await http.get('/v1/tokens').set(bearer()).expect(200);
    expect(list.body.data.find((t: { id: number }) => t.id === at.body.id)).toMatchObject({
      name: 'partner',
      role: 'analyst',
      status: 'active',
      bootstrap: false,
      expiresAt: '2099-01-01T00:00:00.000Z',
      hint: `…${at.body.token.slice(-6)}`,
    });
    expect(JSON.stringify(list.body)).not.toContain(at.body.token);
    expect(JSON.stringify(list.body)).not.toContain(ADMIN_TOKEN);
  });

  it('refuses an expiry in the past, both kinds at once, and a day count out of range', async () => {
    const past = await http
      .post('/v1/tokens')
      .set(bearer())
      .send({ name: 'x', role: 'analyst', expiresAt: '2001-01-01T00:00:00Z' })
      .expect(400);
    expect(past.body.message).toMatch(/expiresAt must be in the future/);
    const both = await http
      .post('/v1/tokens')
      .set(bearer())
      .send({ name: 'x', role: 'analyst', expiresAt: '2099-01-01T00:00:00Z', expiresInDays: 3 })
      .expect(400);
    expect(both.body.message).toMatch(/not both/);
    await http.post('/v1/tokens').set(bearer()).send({ name: 'x', role: 'analyst', expiresInDays: 0 }).expect(400);
    await http.post('/v1/tokens').set(bearer()).send({ name: 'x', role: 'analyst', expiresAt: 'soon' }).expect(400);
  });

  it('answers an expired token with 401 and lists it as expired', async () => {
    const issued = await http.post('/v1/tokens').set(bearer()).send({ name: 'short-lived', role: 'analyst', expiresInDays: 1 }).expect(201);
    await http.get('/v1/auth/me').set(bearer(issued.body.token)).expect(200);
    await app.get(DataSource).query('UPDATE api_tokens SET expires_at = NOW(3) - INTERVAL 1 SECOND WHERE id = ?', [issued.body.id]);
    const res = await http.get('/v1/auth/me').set(bearer(issued.body.token)).expect(401);
    expect(res.body.message).toMatch(/expired/);
    const list = await http.get('/v1/tokens').set(bearer()).expect(200);
    expect(list.body.data.find((t: { id: number }) => t.id === issued.body.id)).toMatchObject({ status: 'expired' });
  });

  it('records when a token was last used', async () => {
    const issued = await http.post('/v1/tokens').set(bearer()).send({ name: 'used', role: 'analyst' }).expect(201);
    const row = async () =>
      (await http.get('/v1/tokens').set(bearer()).expect(200)).body.data.find((t: { id: number }) => t.id === issued.body.id);
    expect((await row()).lastUsedAt).toBeNull();
    await http.get('/v1/auth/me').set(bearer(issued.body.token)).expect(200);
    let lastUsedAt: string | null = null;
    for (let i = 0; i < 50 && !lastUsedAt; i++) {
      lastUsedAt = (await row()).lastUsedAt;
      if (!lastUsedAt) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(lastUsedAt).toEqual(expect.any(String));
  });

  it('pages the token list', async () => {
    for (let i = 0; i < 3; i++)
      await http
        .post('/v1/tokens')
        .set(bearer())
        .send({ name: `p${i}`, role: 'analyst' })
        .expect(201);
    const first = await http.get('/v1/tokens?limit=2').set(bearer()).expect(200);
    expect(first.body.data).toHaveLength(2);
    const next = await http.get(`/v1/tokens?limit=2&cursor=${first.body.nextCursor}`).set(bearer()).expect(200);
    expect(next.body.data[0].id).toBeGreaterThan(first.body.data[1].id);
  });
});

describe('the bootstrap token (CLARION_ADMIN_TOKEN)', () => {
  const ROTATED = `rotated-admin-${Date.now()}-0123456789`;

  async function boot(token: string): Promise<{ app: INestApplication; http: ReturnType<typeof request> }> {
    const app = await startApi({ CLARION_ADMIN_TOKEN: token });
    return { app, http: request(app.getHttpServer()) };
  }

  it('is listed with an id, can be revoked like any token, and comes back from the environment at the next boot', async () => {
    const first = await boot(ADMIN_TOKEN);
    const list = await first.http.get('/v1/tokens').set(bearer()).expect(200);
    const rows = list.body.data.filter((t: { bootstrap: boolean; status: string }) => t.bootstrap && t.status === 'active');
    expect(rows).toEqual([
      expect.objectContaining({ id: expect.any(Number), name: expect.stringContaining('CLARION_ADMIN_TOKEN'), role: 'admin' }),
    ]);

    await first.http.delete(`/v1/tokens/${rows[0].id}`).set(bearer()).expect(204);
    await first.http.get('/v1/auth/me').set(bearer()).expect(401);
    await first.app.close();

    const second = await boot(ADMIN_TOKEN);
    try {
      await second.http.get('/v1/auth/me').set(bearer()).expect(200);
      const again = await second.http.get('/v1/tokens').set(bearer()).expect(200);
      expect(again.body.data.find((t: { id: number }) => t.id === rows[0].id)).toMatchObject({ status: 'active', revokedAt: null });
    } finally {
      await second.app.close();
    }
  });

  it('rotates: a new value at boot revokes the old one', async () => {
    const rotated = await boot(ROTATED);
    try {
      await rotated.http.get('/v1/auth/me').set(bearer(ROTATED)).expect(200);
      await rotated.http.get('/v1/auth/me').set(bearer(ADMIN_TOKEN)).expect(401);
    } finally {
      await rotated.app.close();
    }
    const restored = await boot(ADMIN_TOKEN);
    try {
      await restored.http.get('/v1/auth/me').set(bearer(ADMIN_TOKEN)).expect(200);
      await restored.http.get('/v1/auth/me').set(bearer(ROTATED)).expect(401);
    } finally {
      await restored.app.close();
    }
  });
});
