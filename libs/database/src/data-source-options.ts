import type { DataSourceOptions } from 'typeorm';
import { parseDatabaseUrl } from './database-url';
import { MIGRATIONS } from './migrations';

/** One place for connection settings, shared by the Nest module, the migrator and scripts. */
export function dataSourceOptions(databaseUrl: string, overrides: Partial<DataSourceOptions> = {}): DataSourceOptions {
  const target = parseDatabaseUrl(databaseUrl);
  return {
    type: 'mysql',
    host: target.host,
    port: target.port,
    username: target.user,
    password: target.password,
    database: target.database,
    charset: 'utf8mb4_unicode_ci',
    timezone: 'Z',
    supportBigNumbers: true,
    bigNumberStrings: false,
    dateStrings: false,
    synchronize: false,
    migrationsRun: false,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    extra: { connectionLimit: 20, enableKeepAlive: true },
    ...overrides,
  } as DataSourceOptions;
}
