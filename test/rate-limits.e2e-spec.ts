import { INestApplication } from '@nestjs/common';
import type Redis from 'ioredis';
import request from 'supertest';
import { REDIS } from '@clarion/queue';
import { bearer, startApi } from './support/apps';

/** Lowered limits, and a trusted proxy so each test can speak from its own client address. */
const LIMITS = {
  TRUST_PROXY: 'loopback',
  RATE_LIMIT_SIGN_IN_PER_EMAIL: '10',
  RATE_LIMIT_SIGN_IN_PER_ADDRESS: '15',
  RATE_LIMIT_AUTH_FAILURES_PER_ADDRESS: '5',
  RATE_LIMIT_FAILURE_WINDOW_SECONDS: '900',
  RATE_LIMIT_REQUESTS_PER_MINUTE: '40',
};
const PASSWORD = 'the right password';

let nextAddress = 1;
/** A client address of its own (X-Forwarded-For, believed because TRUST_PROXY=loopback). */
function newAddress(): string {
  return `203.0.113.${nextAddress++}`;
}

describe('rate limits', () => {
  let app: INestApplication;
  let http: ReturnType<typeof request>;

  async function createUser(): Promise<string> {
    const email = `limited-${Math.random().toString(36).slice(2)}@example.com`;
    await http.post('/v1/users').set(bearer()).send({ email, name: 'L', role: 'analyst', password: PASSWORD }).expect(201);
    return email;
  }

  function login(via: ReturnType<typeof request>, email: string, password: string, address: string) {
    return via.post('/v1/auth/login').set('X-Forwarded-For', address).send({ email, password });
  }

  beforeAll(async () => {
    app = await startApi(LIMITS);
    http = request(app.getHttpServer());
  });
  afterAll(() => app.close());

  it('answers the 11th failed sign-in for one email with 429 and Retry-After, then refuses even the right password', async () => {
    const email = await createUser();
    const address = newAddress();
    for (let i = 1; i <= 10; i++) await login(http, email, 'wrong password!', address).expect(401);

    const limited = await login(http, email, 'wrong password!', address).expect(429);
    expect(limited.body).toMatchObject({
      statusCode: 429,
      error: 'Too Many Requests',
      message: expect.stringMatching(/too many failed sign-ins/),
    });
    const retryAfter = Number(limited.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(900);

    // Blocked for that email from any address, checked before the password.
    await login(http, email, PASSWORD, newAddress()).expect(429);
    // Others sign in as usual, from the same address too.
    await login(http, await createUser(), PASSWORD, address).expect(200);
  });

  it('lets no more than the limit of parallel guesses for one email reach the password check', async () => {
    const email = await createUser();
    const answers = await Promise.all(Array.from({ length: 30 }, () => login(http, email, 'wrong password!', newAddress())));
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(20);
  });

  it('limits failed sign-ins per address, whatever the email', async () => {
    const address = newAddress();
    for (let i = 1; i <= 15; i++) await login(http, `nobody-${i}@example.com`, 'wrong password!', address).expect(401);
    const limited = await login(http, 'nobody-16@example.com', 'wrong password!', address).expect(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);

    const email = await createUser();
    await login(http, email, PASSWORD, address).expect(429);
    await login(http, email, PASSWORD, newAddress()).expect(200);
  });

  it('counts failed sign-ins in Redis, so the limit holds across API processes', async () => {
    const second = await startApi(LIMITS);
    try {
      const other = request(second.getHttpServer());
      const email = await createUser();
      const address = newAddress();
      for (let i = 1; i <= 10; i++) await login(i % 2 ? http : other, email, 'wrong password!', address).expect(401);
      await login(other, email, 'wrong password!', address).expect(429);
      await login(http, email, PASSWORD, address).expect(429);
    } finally {
      await second.close();
    }
  });

  it('answers unknown bearer tokens from one address with 429 past the limit; that address with a valid token is served', async () => {
    const address = newAddress();
    for (let i = 1; i <= 5; i++) await http.get('/v1/auth/me').set('X-Forwarded-For', address).set(bearer('clr_guess')).expect(401);
    const limited = await http.get('/v1/auth/me').set('X-Forwarded-For', address).set(bearer('clr_guess')).expect(429);
    expect(limited.body).toMatchObject({ statusCode: 429, message: expect.stringMatching(/too many failed authentications/) });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);

    await http.get('/v1/auth/me').set('X-Forwarded-For', newAddress()).set(bearer('clr_guess')).expect(401);
    await http.get('/v1/auth/me').set('X-Forwarded-For', address).set(bearer()).expect(200);
  });

  it('counts unknown session cookies the same way', async () => {
    const address = newAddress();
    for (let i = 1; i <= 5; i++)
      await http.get('/v1/auth/me').set('X-Forwarded-For', address).set('Cookie', 'clarion_session=forged').expect(401);
    await http.get('/v1/auth/me').set('X-Forwarded-For', address).set('Cookie', 'clarion_session=forged').expect(429);
  });

  it('does not limit a client that signs in correctly again and again', async () => {
    const email = await createUser();
    const address = newAddress();
    for (let i = 1; i <= 20; i++) await login(http, email, PASSWORD, address).expect(200);
  });

  it('holds each token and session to RATE_LIMIT_REQUESTS_PER_MINUTE, each on its own', async () => {
    const issued = await http.post('/v1/tokens').set(bearer()).send({ name: 'busy', role: 'analyst' }).expect(201);
    const busy = bearer(issued.body.token);
    for (let i = 1; i <= 40; i++) await http.get('/v1/broadcasts').set(busy).expect(200);
    const limited = await http.get('/v1/auth/me').set(busy).expect(429);
    expect(limited.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests', message: expect.stringMatching(/40 a minute/) });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);

    // Another caller is not affected, nor are routes that need no caller.
    const cookie = String((await login(http, await createUser(), PASSWORD, newAddress()).expect(200)).headers['set-cookie']).split(';')[0];
    await http.get('/v1/auth/me').set('Cookie', cookie).expect(200);
    await http.get('/health').expect(200);
  });

  it('keeps its counters under REDIS_PREFIX', async () => {
    const redis = app.get<Redis>(REDIS);
    const prefix = process.env.REDIS_PREFIX as string;
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, found] = await redis.scan(cursor, 'MATCH', `{${prefix}:throttle:*`, 'COUNT', 10_000);
      keys.push(...found);
      cursor = next;
    } while (cursor !== '0');
    // The library wraps each key in a hash tag: {<prefix>:throttle:<counter>:<name>}:hits|blocked
    expect(keys.some((k) => k.endsWith(':sign-in-email}:hits'))).toBe(true);
    expect(keys.some((k) => k.endsWith(':auth-failure-address}:blocked'))).toBe(true);
    expect(keys.some((k) => k.includes(':throttle:default:token:'))).toBe(true);
  });
});
