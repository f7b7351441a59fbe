export * from './template-variables';
export * from './variable-expression';
export * from './message-renderer';
