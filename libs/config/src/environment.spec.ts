import { validateEnvironment } from './environment';

describe('validateEnvironment', () => {
  it('fills defaults from the contract', () => {
    const env = validateEnvironment({});
    expect(env.DATABASE_URL).toBe('mysql://root@127.0.0.1:3306/clarion');
    expect(env.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(env.PORT).toBe(3000);
    expect(env.WHATSAPP_GRAPH_URL).toBe('https://graph.facebook.com');
  });

  it('coerces numbers', () => {
    expect(validateEnvironment({ PORT: '8080', WORKER_PORT: '9001' })).toMatchObject({ PORT: 8080, WORKER_PORT: 9001 });
  });

  it('names every bad variable', () => {
    expect(() => validateEnvironment({ PORT: 'abc', DATABASE_URL: 'postgres://x/y' })).toThrow(
      /PORT[\s\S]*DATABASE_URL|DATABASE_URL[\s\S]*PORT/,
    );
  });

  describe('in production', () => {
    const key = 'a'.repeat(64);

    it('stops the API without WHATSAPP_APP_SECRET, naming it', () => {
      expect(() => validateEnvironment({ NODE_ENV: 'production', CLARION_ENCRYPTION_KEY: key }, 'api')).toThrow(
        /WHATSAPP_APP_SECRET: required when NODE_ENV=production/,
      );
    });

    it('stops every process without CLARION_ENCRYPTION_KEY, naming it', () => {
      for (const role of ['api', 'worker', undefined] as const) {
        expect(() => validateEnvironment({ NODE_ENV: 'production', WHATSAPP_APP_SECRET: 'meta-app-secret' }, role)).toThrow(
          /CLARION_ENCRYPTION_KEY: required when NODE_ENV=production/,
        );
      }
    });

    it('names both when both are missing', () => {
      expect(() => validateEnvironment({ NODE_ENV: 'production' }, 'api')).toThrow(/CLARION_ENCRYPTION_KEY[\s\S]*WHATSAPP_APP_SECRET/);
    });

    it('lets a worker run without WHATSAPP_APP_SECRET (only the API verifies webhooks)', () => {
      expect(validateEnvironment({ NODE_ENV: 'production', CLARION_ENCRYPTION_KEY: key }, 'worker').NODE_ENV).toBe('production');
    });

    it('treats an empty value as missing', () => {
      expect(() => validateEnvironment({ NODE_ENV: 'production', CLARION_ENCRYPTION_KEY: key, WHATSAPP_APP_SECRET: '' }, 'api')).toThrow(
        /WHATSAPP_APP_SECRET/,
      );
    });

    it('boots with both set', () => {
      const env = validateEnvironment(
        { NODE_ENV: 'production', CLARION_ENCRYPTION_KEY: key, WHATSAPP_APP_SECRET: 'meta-app-secret' },
        'api',
      );
      expect(env.WHATSAPP_APP_SECRET).toBe('meta-app-secret');
    });
  });

  it('needs neither outside production', () => {
    expect(validateEnvironment({ NODE_ENV: 'development' }, 'api').CLARION_ENCRYPTION_KEY).toBeUndefined();
  });

  it('takes the bootstrap admin only as an email and a password together', () => {
    expect(validateEnvironment({ CLARION_ADMIN_EMAIL: 'a@example.com', CLARION_ADMIN_PASSWORD: '0123456789' })).toMatchObject({
      CLARION_ADMIN_EMAIL: 'a@example.com',
    });
    expect(() => validateEnvironment({ CLARION_ADMIN_EMAIL: 'a@example.com' })).toThrow(/CLARION_ADMIN_EMAIL and CLARION_ADMIN_PASSWORD/);
    expect(() => validateEnvironment({ CLARION_ADMIN_EMAIL: 'a@example.com', CLARION_ADMIN_PASSWORD: 'short' })).toThrow(
      /CLARION_ADMIN_PASSWORD must be at least 10/,
    );
    expect(() => validateEnvironment({ CLARION_ADMIN_EMAIL: 'nope', CLARION_ADMIN_PASSWORD: '0123456789' })).toThrow(
      /CLARION_ADMIN_EMAIL must be an email/,
    );
  });

  it('takes the frequency cap as a count and a period in days, together or not at all', () => {
    const none = validateEnvironment({});
    expect([none.FREQUENCY_CAP_MESSAGES, none.FREQUENCY_CAP_DAYS]).toEqual([undefined, undefined]);
    expect(validateEnvironment({ FREQUENCY_CAP_MESSAGES: '2', FREQUENCY_CAP_DAYS: '7' })).toMatchObject({
      FREQUENCY_CAP_MESSAGES: 2,
      FREQUENCY_CAP_DAYS: 7,
    });
    expect(() => validateEnvironment({ FREQUENCY_CAP_MESSAGES: '2' })).toThrow(/FREQUENCY_CAP_MESSAGES and FREQUENCY_CAP_DAYS: set both/);
    expect(() => validateEnvironment({ FREQUENCY_CAP_MESSAGES: '0', FREQUENCY_CAP_DAYS: '7' })).toThrow(
      /FREQUENCY_CAP_MESSAGES must not be less than 1/,
    );
    expect(() => validateEnvironment({ FREQUENCY_CAP_MESSAGES: '2', FREQUENCY_CAP_DAYS: 'week' })).toThrow(/FREQUENCY_CAP_DAYS/);
  });

  it("reads TRUST_PROXY as Express's trust proxy setting", () => {
    expect(validateEnvironment({}).TRUST_PROXY).toBe(false);
    expect(validateEnvironment({ TRUST_PROXY: 'true' }).TRUST_PROXY).toBe(true);
    expect(validateEnvironment({ TRUST_PROXY: '2' }).TRUST_PROXY).toBe(2);
    expect(validateEnvironment({ TRUST_PROXY: 'loopback, 10.0.0.0/8' }).TRUST_PROXY).toBe('loopback, 10.0.0.0/8');
  });
});
