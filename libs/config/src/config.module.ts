import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Environment, validateEnvironment } from './environment';

/**
 * Serves the validated `Environment` through Nest's ConfigService API
 * (`config.get('PORT', { infer: true })`), and nothing else: values are typed and coerced,
 * never read back from process.env.
 */
export class EnvironmentConfigService extends ConfigService<Environment, true> {
  constructor(private readonly environment: Environment) {
    super();
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override get(propertyPath: any, defaultOrOptions?: any): any {
    const value = (this.environment as unknown as Record<string, unknown>)[propertyPath];
    if (value !== undefined) return value;
    const isOptions = typeof defaultOrOptions === 'object' && defaultOrOptions !== null && 'infer' in defaultOrOptions;
    return isOptions ? undefined : defaultOrOptions;
  }
}

/**
 * Global, validated configuration: read it with `ConfigService<Environment, true>`.
 * Validation runs when an application is created (not when this file is imported), once per
 * application, so a process that boots several apps (the tests) can give each its own settings.
 */
@Global()
@Module({
  providers: [{ provide: ConfigService, useFactory: () => new EnvironmentConfigService(validateEnvironment(process.env)) }],
  exports: [ConfigService],
})
export class ClarionConfigModule {}

export { ConfigService };
