export * from './delay';
export * from './send-window';
export * from './due-time';
