import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The process's Prometheus registry. Capabilities define their metrics here so that
 * names stay consistent across API and worker processes.
 */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry, prefix: 'clarion_' });

export const metrics = {
  httpRequests: new Histogram({
    name: 'clarion_http_request_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [metricsRegistry],
  }),
  messagesSent: new Counter({
    name: 'clarion_messages_sent_total',
    help: 'Messages accepted by WhatsApp, by sender',
    labelNames: ['sender'] as const,
    registers: [metricsRegistry],
  }),
  sendErrors: new Counter({
    name: 'clarion_send_errors_total',
    help: 'Send attempts refused, by sender and error class',
    labelNames: ['sender', 'class'] as const,
    registers: [metricsRegistry],
  }),
  webhookEvents: new Counter({
    name: 'clarion_webhook_events_total',
    help: 'Webhook events applied, by kind',
    labelNames: ['kind'] as const,
    registers: [metricsRegistry],
  }),
  importRows: new Counter({
    name: 'clarion_import_rows_total',
    help: 'Contact rows imported, by outcome',
    labelNames: ['outcome'] as const,
    registers: [metricsRegistry],
  }),
  unhandledRejections: new Counter({
    name: 'clarion_unhandled_rejections_total',
    help: 'Promise rejections no code handled (logged, never fatal): each one is a bug to fix',
    registers: [metricsRegistry],
  }),
  queueDepth: new Gauge({
    name: 'clarion_queue_waiting_jobs',
    help: 'Jobs waiting per queue',
    labelNames: ['queue'] as const,
    registers: [metricsRegistry],
  }),
};
