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
});
