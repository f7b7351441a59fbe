export * from './database-url';
export * from './data-source-options';
export * from './prepare-database';
export * from './database.module';
