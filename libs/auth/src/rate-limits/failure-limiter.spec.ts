import { Logger } from '@nestjs/common';
import type { ConfigService } from '@nestjs/config';
import Redis from 'ioredis';
import { createServer } from 'node:net';
import type { Environment } from '@clarion/config';
import type { RedisKeys } from '@clarion/queue';
import { FailureLimiter } from './failure-limiter';
import { RedisThrottlerStorage } from './redis-throttler-storage';

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('FailureLimiter without Redis', () => {
  it('lets sign-ins and failed authentications through, with a warning, rather than failing them', async () => {
    const redis = new Redis({
      host: '127.0.0.1',
      port: await closedPort(),
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
    });
    const keys = { key: (...parts: Array<string | number>) => ['unreachable', ...parts].join(':') } as RedisKeys;
    const config = { get: () => 1 } as unknown as ConfigService<Environment, true>;
    const limiter = new FailureLimiter(new RedisThrottlerStorage(redis, keys), config);
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      for (let i = 0; i < 3; i++) await expect(limiter.beginSignIn('a@example.com', '10.0.0.1')).resolves.toBeUndefined();
      await expect(limiter.signInSucceeded('a@example.com', '10.0.0.1')).resolves.toBeUndefined();
      await expect(limiter.recordFailedAuthentication('10.0.0.1')).resolves.toBeUndefined();
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('Redis did not answer'));
    } finally {
      warn.mockRestore();
      redis.disconnect();
    }
  });
});
