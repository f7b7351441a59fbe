import { ExecutionContext, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import Redis from 'ioredis';
import { createServer } from 'node:net';
import { DomainError, ErrorCode } from '@clarion/common';
import type { RedisKeys } from '@clarion/queue';
import type { Principal } from '../principal';
import { Role } from '../role';
import { PrincipalThrottlerGuard } from './principal-throttler.guard';
import { RedisThrottlerStorage } from './redis-throttler-storage';

class ListController {
  list(): void {}
}
class OtherController {
  other(): void {}
}

function contextFor(principal: Principal | undefined, controller: { new (): object }, handler: () => void): ExecutionContext {
  const request = { principal, headers: {} };
  const response = { header: jest.fn() };
  return {
    getHandler: () => handler,
    getClass: () => controller,
    switchToHttp: () => ({ getRequest: () => request, getResponse: () => response }),
  } as unknown as ExecutionContext;
}

async function guardOn(redis: Redis, limit: number): Promise<PrincipalThrottlerGuard> {
  const prefix = `${process.env.REDIS_PREFIX ?? 'clarion-test'}-principal-${process.pid}-${Math.random().toString(36).slice(2)}`;
  const keys = { key: (...parts: Array<string | number>) => [prefix, ...parts].join(':') } as RedisKeys;
  const guard = new PrincipalThrottlerGuard(
    { throttlers: [{ name: 'default', ttl: 60_000, limit }] },
    new RedisThrottlerStorage(redis, keys),
    new Reflector(),
  );
  await guard.onModuleInit();
  return guard;
}

const token: Principal = { kind: 'token', tokenId: 7, name: 't', role: Role.Analyst };
const session: Principal = { kind: 'user', userId: 1, email: 'a@example.com', sessionId: 9, name: 'A', role: Role.Analyst };

describe('PrincipalThrottlerGuard', () => {
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  afterAll(() => redis.disconnect());

  it('counts one caller across all routes, each caller on its own, and skips requests without a caller', async () => {
    const guard = await guardOn(redis, 2);
    await expect(guard.canActivate(contextFor(token, ListController, ListController.prototype.list))).resolves.toBe(true);
    await expect(guard.canActivate(contextFor(token, OtherController, OtherController.prototype.other))).resolves.toBe(true);
    const third = guard.canActivate(contextFor(token, ListController, ListController.prototype.list));
    await expect(third).rejects.toBeInstanceOf(DomainError);
    await expect(third).rejects.toMatchObject({ code: ErrorCode.RateLimited, details: { retryAfterSeconds: expect.any(Number) } });

    await expect(guard.canActivate(contextFor(session, ListController, ListController.prototype.list))).resolves.toBe(true);
    for (let i = 0; i < 5; i++)
      await expect(guard.canActivate(contextFor(undefined, ListController, ListController.prototype.list))).resolves.toBe(true);
  });

  it('lets requests through, with a warning, when Redis does not answer', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise((resolve) => server.close(resolve));
    const down = new Redis({ host: '127.0.0.1', port, lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0 });
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      const guard = await guardOn(down, 1);
      for (let i = 0; i < 3; i++)
        await expect(guard.canActivate(contextFor(token, ListController, ListController.prototype.list))).resolves.toBe(true);
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('Redis did not answer'));
    } finally {
      warn.mockRestore();
      down.disconnect();
    }
  });
});
