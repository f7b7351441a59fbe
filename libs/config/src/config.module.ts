import { Global, Module } from '@nestjs/common';
import { ConfigModule as NestConfigModule, ConfigService } from '@nestjs/config';
import { validateEnvironment } from './environment';

/** Global, validated configuration: read it with `ConfigService<Environment, true>`. */
@Global()
@Module({
  imports: [
    NestConfigModule.forRoot({
      isGlobal: true,
      ignoreEnvFile: true,
      cache: true,
      validate: validateEnvironment,
    }),
  ],
  exports: [NestConfigModule],
})
export class ClarionConfigModule {}

export { ConfigService };
