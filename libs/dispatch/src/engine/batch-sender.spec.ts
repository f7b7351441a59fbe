import type { ConfigService } from '@nestjs/config';
import Redis from 'ioredis';
import { once } from 'node:events';
import type { DataSource } from 'typeorm';
import type { Environment } from '@clarion/config';
import type { RedisKeys } from '@clarion/queue';
import type { SenderCredentials, WhatsAppClient } from '@clarion/whatsapp';
import type { ClaimedRecipient } from '../ledger/recipient-claims';
import { ThroughputLimiter } from '../throttling/throughput-limiter';
import { BatchSender } from './batch-sender';

const recipients = (n: number): ClaimedRecipient[] =>
  Array.from({ length: n }, (_, i) => ({
    id: i + 1,
    contactId: i + 1,
    phone: `+4915100000${i}`,
    attempts: 0,
    components: [],
    timeZone: null,
  }));

describe('BatchSender when the limiter loses Redis mid-batch (real Redis)', () => {
  const prefix = `${process.env.REDIS_PREFIX ?? 'clarion-test'}-batch-${process.pid}`;
  const keys = { key: (...parts: Array<string | number>) => [prefix, ...parts].join(':') } as RedisKeys;
  const config = { get: () => 2 } as unknown as ConfigService<Environment, true>;
  const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

  it('returns the answers of what it sent and the recipients it never sent, with the failure', async () => {
    // A client of its own, cut after the first portion is fired: later limiter calls fail at once.
    const redis = new Redis(url, { maxRetriesPerRequest: 0, enableOfflineQueue: false });
    const admin = new Redis(url);
    try {
      // Without an offline queue, a command sent before the connection is ready fails at once.
      if (redis.status !== 'ready') await once(redis, 'ready');
      await admin.set(keys.key('dispatch', 'tp', 1, 'seeded'), '1');
      const sender = new BatchSender(new ThroughputLimiter(redis, keys, config, {} as DataSource));
      const fired: string[] = [];
      const client: WhatsAppClient = {
        sendTemplate: async (_c, message) => {
          fired.push(message.to);
          redis.disconnect();
          return { ok: true, wamid: `wamid.${message.to}` };
        },
      };
      const result = await sender.send({
        broadcastId: 9,
        senderId: 1,
        capMps: 100, // 5 tokens per grant
        template: { name: 'hello_world', language: 'en_US' },
        credentials: {} as SenderCredentials,
        client,
        recipients: recipients(12),
        stillWanted: async () => true,
      });
      expect(fired).toHaveLength(5);
      expect(result.sent.map((s) => s.recipient.id)).toEqual([1, 2, 3, 4, 5]);
      expect(result.sent.every((s) => s.outcome.ok)).toBe(true);
      expect(result.unsent.map((r) => r.id)).toEqual([6, 7, 8, 9, 10, 11, 12]);
      expect(result.failure).toBeInstanceOf(Error);
    } finally {
      redis.disconnect();
      const found = await admin.keys(`${prefix}:*`);
      if (found.length) await admin.del(...found);
      admin.disconnect();
    }
  });
});

describe('BatchSender when contacts opt out after the claim (real Redis)', () => {
  const prefix = `${process.env.REDIS_PREFIX ?? 'clarion-test'}-batch-optout-${process.pid}`;
  const keys = { key: (...parts: Array<string | number>) => [prefix, ...parts].join(':') } as RedisKeys;
  const config = { get: () => 2 } as unknown as ConfigService<Environment, true>;
  const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

  it('hands back, unsent, the recipients whose contacts opted out before their portion was fired', async () => {
    const redis = new Redis(url);
    try {
      await redis.set(keys.key('dispatch', 'tp', 2, 'seeded'), '1');
      const sender = new BatchSender(new ThroughputLimiter(redis, keys, config, {} as DataSource));
      const fired: string[] = [];
      const optedOut = new Set<number>();
      const client: WhatsAppClient = {
        sendTemplate: async (_c, message) => {
          fired.push(message.to);
          // Contacts 7 and 12 send STOP while the first portion is out; 3 had before it.
          optedOut.add(7).add(12);
          return { ok: true, wamid: `wamid.${message.to}` };
        },
      };
      optedOut.add(3);
      const result = await sender.send({
        broadcastId: 9,
        senderId: 2,
        capMps: 100, // 5 tokens per grant
        template: { name: 'hello_world', language: 'en_US' },
        credentials: {} as SenderCredentials,
        client,
        recipients: recipients(12),
        stillWanted: async () => true,
        optedOut: async (contactIds) => new Set(contactIds.filter((id) => optedOut.has(id))),
      });
      expect(result.sent.map((s) => s.recipient.id).sort((a, b) => a - b)).toEqual([1, 2, 4, 5, 6, 8, 9, 10, 11]);
      expect(fired).toHaveLength(9);
      expect(result.unsent.map((r) => r.id).sort((a, b) => a - b)).toEqual([3, 7, 12]);
      expect(result.failure).toBeUndefined();
    } finally {
      const found = await redis.keys(`${prefix}:*`);
      if (found.length) await redis.del(...found);
      redis.disconnect();
    }
  });
});
