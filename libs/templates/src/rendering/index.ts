export * from './template-variables';
export * from './variable-expression';
export * from './message-renderer';
export * from './media-url';
