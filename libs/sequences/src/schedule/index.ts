export * from './delay';
export * from './send-window';
export * from './contact-zone';
export * from './due-time';
