import { INestApplication } from '@nestjs/common';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EndpointsRepository, WebhookDelivery, WebhookEndpoints } from '@clarion/outbound-webhooks';
import { startApi } from './support/apps';

/**
 * An endpoint's failure clock through real attempts against a local receiver: a failure starts
 * it, further failures keep its start, a success stops it, and a streak as long as the disabling
 * window disables the endpoint in the attempt that crosses it.
 */
describe('Outbound webhook failure clock (e2e)', () => {
  let api: INestApplication;
  let receiver: Server;
  let url: string;
  let answer = 503;

  beforeAll(async () => {
    api = await startApi({ WHATSAPP_GRAPH_URL: 'http://127.0.0.1:9', WEBHOOK_DISABLE_AFTER_SECONDS: '3' });
    receiver = createServer((req, res) => req.resume().on('end', () => res.writeHead(answer).end()));
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  });

  afterAll(async () => {
    await new Promise((resolve) => receiver?.close(resolve));
    await api?.close();
  });

  it('starts on a failure, keeps its start, stops on a success and disables after the window', async () => {
    const { endpoint } = await api.get(WebhookEndpoints).create({ url, events: ['contact.opted_out'] });
    const delivery = api.get(WebhookDelivery);
    const repository = api.get(EndpointsRepository);
    const message = (n: number) => ({
      eventId: `clock-${endpoint.id}-${n}`,
      type: 'contact.opted_out',
      occurredAt: new Date().toISOString(),
      data: {},
    });

    answer = 503;
    expect(await delivery.deliver(endpoint.id, message(1), 1)).toMatchObject({ kind: 'failed', disabledNow: false });
    const started = (await repository.findById(endpoint.id))?.failingSince;
    expect(started).toBeInstanceOf(Date);
    expect(await delivery.deliver(endpoint.id, message(2), 1)).toMatchObject({ kind: 'failed', disabledNow: false });
    expect((await repository.findById(endpoint.id))?.failingSince).toEqual(started);

    answer = 204;
    expect(await delivery.deliver(endpoint.id, message(3), 1)).toMatchObject({ kind: 'delivered', disabledNow: false });
    expect(await repository.findById(endpoint.id)).toMatchObject({ status: 'enabled', failingSince: null });

    answer = 503;
    expect(await delivery.deliver(endpoint.id, message(4), 1)).toMatchObject({ kind: 'failed', disabledNow: false });
    await new Promise((resolve) => setTimeout(resolve, 3_100));
    expect(await delivery.deliver(endpoint.id, message(5), 1)).toMatchObject({ kind: 'failed', disabledNow: true });
    const disabled = await repository.findById(endpoint.id);
    expect(disabled).toMatchObject({ status: 'disabled' });
    expect(disabled?.disabledReason).toContain('HTTP 503');
    expect(await delivery.deliver(endpoint.id, message(6), 1)).toEqual({ kind: 'dropped' });
    expect((await repository.deliveries(endpoint.id, undefined, 10)).map((d) => d.status)).toEqual([
      'failed',
      'failed',
      'succeeded',
      'failed',
      'failed',
    ]);
  });
});
