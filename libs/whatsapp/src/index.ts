export * from './client/types';
export * from './webhooks/events';
