/** Every bull queue's name, in one place so producers and consumers cannot drift apart. */
export const QueueName = {
  Imports: 'imports',
  WebhookEvents: 'webhook-events',
  BroadcastLaunch: 'broadcast-launch',
  Dispatch: 'dispatch',
  Stats: 'stats',
  Sequences: 'sequences',
  OutboundWebhooks: 'outbound-webhooks',
} as const;
export type QueueName = (typeof QueueName)[keyof typeof QueueName];
