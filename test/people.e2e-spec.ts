import { INestApplication } from '@nestjs/common';
import { createHash } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { bearer, startApi } from './support/apps';

const ADMIN_EMAIL = 'Root@Example.com';
const ADMIN_PASSWORD = 'first admin password';
const CSRF = { 'X-Requested-With': 'clarion' };

/** The session cookie's value from a sign-in answer. */
function sessionCookie(res: request.Response): string {
  const header = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('clarion_session='));
  if (!header) throw new Error('no clarion_session cookie was set');
  return header.split(';')[0];
}

describe('people and sign-in', () => {
  let app: INestApplication;
  let http: ReturnType<typeof request>;
  let db: DataSource;

  async function signIn(email: string, password: string): Promise<string> {
    return sessionCookie(await http.post('/v1/auth/login').send({ email, password }).expect(200));
  }

  async function createUser(role: string, password = 'a long password'): Promise<{ id: number; email: string; password: string }> {
    const email = `${role}-${Math.random().toString(36).slice(2)}@example.com`;
    const res = await http
      .post('/v1/users')
      .set(bearer())
      .send({ email, name: `The ${role}`, role, password })
      .expect(201);
    return { id: res.body.id, email, password };
  }

  beforeAll(async () => {
    app = await startApi({ CLARION_ADMIN_EMAIL: ADMIN_EMAIL, CLARION_ADMIN_PASSWORD: ADMIN_PASSWORD });
    http = request(app.getHttpServer());
    db = app.get(DataSource);
  });
  afterAll(() => app.close());

  describe('POST /v1/auth/login', () => {
    it('signs the bootstrap admin from the environment in, email in any case, with a strict HttpOnly cookie', async () => {
      const res = await http.post('/v1/auth/login').send({ email: 'root@EXAMPLE.com', password: ADMIN_PASSWORD }).expect(200);
      expect(res.body).toEqual({ id: expect.any(Number), email: 'root@example.com', name: 'Administrator', role: 'admin' });
      const header = ([] as string[]).concat(res.headers['set-cookie']).find((c) => c.startsWith('clarion_session='))!;
      expect(header).toMatch(/; HttpOnly/);
      expect(header).toMatch(/; SameSite=Strict/);
      expect(header).toMatch(/; Path=\//);
      expect(header).toMatch(/; Expires=/);
      expect(header).not.toMatch(/; Secure/); // plain HTTP, and X-Forwarded-Proto is not trusted by default
    });

    it('stores the session only hashed', async () => {
      const cookie = await signIn(ADMIN_EMAIL, ADMIN_PASSWORD);
      const id = decodeURIComponent(cookie.split('=')[1]);
      expect(Buffer.from(id, 'base64url').length).toBeGreaterThanOrEqual(32);
      const rows: Array<{ token_hash: string }> = await db.query('SELECT token_hash FROM sessions');
      expect(rows.map((r) => r.token_hash)).toContain(createHash('sha256').update(id).digest('hex'));
      expect(JSON.stringify(rows)).not.toContain(id);
    });

    it('answers a wrong password and an unknown email with the same 401', async () => {
      const wrong = await http.post('/v1/auth/login').send({ email: ADMIN_EMAIL, password: 'not the password' }).expect(401);
      const unknown = await http.post('/v1/auth/login').send({ email: 'nobody@example.com', password: ADMIN_PASSWORD }).expect(401);
      expect(wrong.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: 'wrong email or password' });
      expect(unknown.body).toEqual(wrong.body);
      expect(wrong.headers['set-cookie']).toBeUndefined();
    });

    it('refuses a missing password with 400', async () => {
      await http.post('/v1/auth/login').send({ email: ADMIN_EMAIL }).expect(400);
    });
  });

  describe('GET /v1/auth/me', () => {
    it('names the signed-in person', async () => {
      const cookie = await signIn(ADMIN_EMAIL, ADMIN_PASSWORD);
      const res = await http.get('/v1/auth/me').set('Cookie', cookie).expect(200);
      expect(res.body).toEqual({ id: expect.any(Number), email: 'root@example.com', name: 'Administrator', role: 'admin', via: 'session' });
    });

    it("names an API token's name and role", async () => {
      const token = await http.post('/v1/tokens').set(bearer()).send({ name: 'reporting', role: 'analyst' }).expect(201);
      const res = await http.get('/v1/auth/me').set(bearer(token.body.token)).expect(200);
      expect(res.body).toEqual({ id: null, email: null, name: 'reporting', role: 'analyst', via: 'token' });
    });

    it('answers 401 without credentials and for an unknown cookie', async () => {
      await http.get('/v1/auth/me').expect(401);
      const res = await http.get('/v1/auth/me').set('Cookie', 'clarion_session=forged').expect(401);
      expect(res.body.message).toMatch(/sign in again/);
    });
  });

  describe('ending sessions', () => {
    it('logout ends the session and clears the cookie', async () => {
      const cookie = await signIn(ADMIN_EMAIL, ADMIN_PASSWORD);
      const res = await http.post('/v1/auth/logout').set('Cookie', cookie).set(CSRF).expect(204);
      expect(String(res.headers['set-cookie'])).toMatch(/clarion_session=;.*Expires=Thu, 01 Jan 1970/);
      await http.get('/v1/auth/me').set('Cookie', cookie).expect(401);
    });

    it('disabling a user ends their sessions and refuses their sign-in with the same 401', async () => {
      const analyst = await createUser('analyst');
      const cookie = await signIn(analyst.email, analyst.password);
      await http.get('/v1/auth/me').set('Cookie', cookie).expect(200);

      const res = await http.patch(`/v1/users/${analyst.id}`).set(bearer()).send({ disabled: true }).expect(200);
      expect(res.body).toMatchObject({ id: analyst.id, disabled: true });
      await http.get('/v1/auth/me').set('Cookie', cookie).expect(401);
      const refused = await http.post('/v1/auth/login').send({ email: analyst.email, password: analyst.password }).expect(401);
      expect(refused.body.message).toBe('wrong email or password');

      await http.patch(`/v1/users/${analyst.id}`).set(bearer()).send({ disabled: false }).expect(200);
      await signIn(analyst.email, analyst.password);
    });

    it("a new password ends the user's sessions; the new one signs in, the old one no more", async () => {
      const marketer = await createUser('marketer');
      const cookie = await signIn(marketer.email, marketer.password);
      await http.patch(`/v1/users/${marketer.id}`).set(bearer()).send({ password: 'another long password' }).expect(200);
      await http.get('/v1/auth/me').set('Cookie', cookie).expect(401);
      await http.post('/v1/auth/login').send({ email: marketer.email, password: marketer.password }).expect(401);
      await signIn(marketer.email, 'another long password');
    });

    it('deleting a user ends their sessions', async () => {
      const analyst = await createUser('analyst');
      const cookie = await signIn(analyst.email, analyst.password);
      await http.delete(`/v1/users/${analyst.id}`).set(bearer()).expect(204);
      await http.get('/v1/auth/me').set('Cookie', cookie).expect(401);
      await http.delete(`/v1/users/${analyst.id}`).set(bearer()).expect(404);
    });

    it('a session idle for more than 12 hours has ended', async () => {
      const cookie = await signIn(ADMIN_EMAIL, ADMIN_PASSWORD);
      await db.query('UPDATE sessions SET last_seen_at = NOW(3) - INTERVAL 13 HOUR WHERE token_hash = ?', [hashOf(cookie)]);
      await http.get('/v1/auth/me').set('Cookie', cookie).expect(401);
    });

    it('a session in use slides its idle expiry, writing at most once a minute', async () => {
      const cookie = await signIn(ADMIN_EMAIL, ADMIN_PASSWORD);
      await db.query('UPDATE sessions SET last_seen_at = NOW(3) - INTERVAL 11 HOUR WHERE token_hash = ?', [hashOf(cookie)]);
      await http.get('/v1/auth/me').set('Cookie', cookie).expect(200);
      const moved = await waitFor(async () => (await idleSeconds(cookie)) < 60);
      expect(moved).toBe(true);

      // Within the minute nothing is written: an older stamp left alone stays.
      await db.query('UPDATE sessions SET last_seen_at = NOW(3) - INTERVAL 30 SECOND WHERE token_hash = ?', [hashOf(cookie)]);
      await http.get('/v1/auth/me').set('Cookie', cookie).expect(200);
      await http.get('/v1/auth/me').set('Cookie', cookie).expect(200);
      expect(await idleSeconds(cookie)).toBeGreaterThanOrEqual(30);
    });

    it('a session ends 7 days after sign-in however busy', async () => {
      const cookie = await signIn(ADMIN_EMAIL, ADMIN_PASSWORD);
      await db.query('UPDATE sessions SET created_at = NOW(3) - INTERVAL 8 DAY WHERE token_hash = ?', [hashOf(cookie)]);
      await http.get('/v1/auth/me').set('Cookie', cookie).expect(401);
    });

    async function idleSeconds(cookie: string): Promise<number> {
      const [row] = await db.query('SELECT TIMESTAMPDIFF(SECOND, last_seen_at, NOW(3)) AS idle FROM sessions WHERE token_hash = ?', [
        hashOf(cookie),
      ]);
      return Number(row.idle);
    }
  });

  describe('CSRF', () => {
    it('refuses a cookie-authenticated change without X-Requested-With: clarion, accepts it with the header', async () => {
      const cookie = await signIn(ADMIN_EMAIL, ADMIN_PASSWORD);
      const body = { email: 'csrf@example.com', name: 'C', role: 'analyst', password: 'a long password' };
      const refused = await http.post('/v1/users').set('Cookie', cookie).send(body).expect(403);
      expect(refused.body).toEqual({ statusCode: 403, error: 'Forbidden', message: expect.stringContaining('X-Requested-With: clarion') });
      await http.post('/v1/users').set('Cookie', cookie).set('X-Requested-With', 'something-else').send(body).expect(403);
      await http.post('/v1/users').set('Cookie', cookie).set(CSRF).send(body).expect(201);
    });

    it('lets cookie-authenticated reads and bearer-authenticated changes through without the header', async () => {
      const cookie = await signIn(ADMIN_EMAIL, ADMIN_PASSWORD);
      await http.get('/v1/users').set('Cookie', cookie).expect(200);
      await http
        .post('/v1/users')
        .set(bearer())
        .send({ email: 'bearer@example.com', name: 'B', role: 'analyst', password: 'a long password' })
        .expect(201);
    });
  });

  describe('roles', () => {
    it('an analyst reads broadcasts but cannot create one, nor manage people', async () => {
      const analyst = await createUser('analyst');
      const cookie = await signIn(analyst.email, analyst.password);
      await http.get('/v1/broadcasts').set('Cookie', cookie).expect(200);
      const res = await http.post('/v1/broadcasts').set('Cookie', cookie).set(CSRF).send({ name: 'x' }).expect(403);
      expect(res.body.message).toContain('analyst');
      await http.get('/v1/users').set('Cookie', cookie).expect(403);
      await http.post('/v1/tokens').set('Cookie', cookie).set(CSRF).send({ name: 'x', role: 'admin' }).expect(403);
    });

    it('a new role applies to open sessions at once', async () => {
      const marketer = await createUser('marketer');
      const cookie = await signIn(marketer.email, marketer.password);
      await http.get('/v1/users').set('Cookie', cookie).expect(403);
      await http.patch(`/v1/users/${marketer.id}`).set(bearer()).send({ role: 'admin' }).expect(200);
      await http.get('/v1/users').set('Cookie', cookie).expect(200);
    });

    it('an admin cannot disable, demote or delete themselves', async () => {
      const admin = await createUser('admin');
      const cookie = await signIn(admin.email, admin.password);
      await http.patch(`/v1/users/${admin.id}`).set('Cookie', cookie).set(CSRF).send({ disabled: true }).expect(409);
      await http.patch(`/v1/users/${admin.id}`).set('Cookie', cookie).set(CSRF).send({ role: 'analyst' }).expect(409);
      await http.delete(`/v1/users/${admin.id}`).set('Cookie', cookie).set(CSRF).expect(409);
    });

    it("changing one's own password keeps the session it was done from", async () => {
      const admin = await createUser('admin');
      const here = await signIn(admin.email, admin.password);
      const elsewhere = await signIn(admin.email, admin.password);
      await http.patch(`/v1/users/${admin.id}`).set('Cookie', here).set(CSRF).send({ password: 'my new long password' }).expect(200);
      await http.get('/v1/auth/me').set('Cookie', here).expect(200);
      await http.get('/v1/auth/me').set('Cookie', elsewhere).expect(401);
    });
  });

  describe('/v1/users', () => {
    it('lists people, paged, never with a password hash', async () => {
      await createUser('analyst');
      await createUser('marketer');
      const first = await http.get('/v1/users?limit=2').set(bearer()).expect(200);
      expect(first.body.data).toHaveLength(2);
      expect(first.body.nextCursor).toEqual(expect.any(String));
      const next = await http.get(`/v1/users?limit=2&cursor=${first.body.nextCursor}`).set(bearer()).expect(200);
      expect(next.body.data[0].id).toBeGreaterThan(first.body.data[1].id);
      expect(Object.keys(first.body.data[0]).sort()).toEqual([
        'createdAt',
        'disabled',
        'email',
        'id',
        'lastSignInAt',
        'name',
        'role',
        'updatedAt',
      ]);
      expect(JSON.stringify(first.body)).not.toMatch(/argon2|password/i);
      const one = await http.get(`/v1/users/${first.body.data[0].id}`).set(bearer()).expect(200);
      expect(one.body).toEqual(first.body.data[0]);
      await http.get('/v1/users/999999').set(bearer()).expect(404);
    });

    it('refuses a short password, a bad email, a bad role, and an email taken in another case', async () => {
      const res = await http
        .post('/v1/users')
        .set(bearer())
        .send({ email: 'short@example.com', name: 'S', role: 'analyst', password: 'too short' })
        .expect(400);
      expect(res.body.message.join(' ')).toMatch(/password must be 10/);
      await http
        .post('/v1/users')
        .set(bearer())
        .send({ email: 'not-an-email', name: 'S', role: 'analyst', password: 'a long password' })
        .expect(400);
      await http
        .post('/v1/users')
        .set(bearer())
        .send({ email: 'r@example.com', name: 'S', role: 'boss', password: 'a long password' })
        .expect(400);
      const taken = await http
        .post('/v1/users')
        .set(bearer())
        .send({ email: 'ROOT@example.com', name: 'S', role: 'analyst', password: 'a long password' })
        .expect(409);
      expect(taken.body.message).toMatch(/root@example.com already exists/);
      await http.patch('/v1/users/999999').set(bearer()).send({ name: 'x' }).expect(404);
    });
  });
});

describe('the bootstrap admin at the next boot', () => {
  it('sets its password and role again, ending sessions made with the old password', async () => {
    const first = await startApi({ CLARION_ADMIN_EMAIL: 'boot@example.com', CLARION_ADMIN_PASSWORD: 'first boot password' });
    const http1 = request(first.getHttpServer());
    const login = await http1.post('/v1/auth/login').send({ email: 'boot@example.com', password: 'first boot password' }).expect(200);
    const cookie = sessionCookie(login);
    await http1.patch(`/v1/users/${login.body.id}`).set(bearer()).send({ role: 'analyst', disabled: true }).expect(200);
    await first.close();

    const second = await startApi({
      CLARION_ADMIN_EMAIL: 'boot@example.com',
      CLARION_ADMIN_PASSWORD: 'second boot password',
      TRUST_PROXY: 'loopback',
    });
    try {
      const http2 = request(second.getHttpServer());
      await http2.get('/v1/auth/me').set('Cookie', cookie).expect(401);
      await http2.post('/v1/auth/login').send({ email: 'boot@example.com', password: 'first boot password' }).expect(401);
      const again = await http2
        .post('/v1/auth/login')
        .set('X-Forwarded-Proto', 'https')
        .send({ email: 'boot@example.com', password: 'second boot password' })
        .expect(200);
      expect(again.body).toMatchObject({ id: login.body.id, role: 'admin' });
      // Behind a trusted proxy that saw HTTPS, the cookie is Secure.
      expect(String(again.headers['set-cookie'])).toMatch(/; Secure/);
    } finally {
      await second.close();
    }
  });
});

function hashOf(cookie: string): string {
  return createHash('sha256')
    .update(decodeURIComponent(cookie.split('=')[1]))
    .digest('hex');
}

async function waitFor(check: () => Promise<boolean>, timeoutMs = 5_000): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}
