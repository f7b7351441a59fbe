export * from './client/types';
export * from './webhooks/events';
export * from './webhooks/parse-webhook';
export * from './webhooks/signature';
export * from './webhooks/loose-json';
