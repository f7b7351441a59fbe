export * from './domain-error';
export * from './pagination';
export * from './chunk';
export * from './csv-safety';
export * from './mysql-errors';
export * from './backpressure';
export * from './csv-export';
