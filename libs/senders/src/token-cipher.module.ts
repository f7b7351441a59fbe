import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Environment } from '@clarion/config';
import { TokenCipher } from './token-cipher';

/** The application's one TokenCipher (CLARION_ENCRYPTION_KEY), for every module that keeps secrets encrypted at rest. */
@Module({
  providers: [
    {
      provide: TokenCipher,
      inject: [ConfigService],
      useFactory: (config: ConfigService<Environment, true>) =>
        TokenCipher.fromConfig(config.get('CLARION_ENCRYPTION_KEY', { infer: true }), config.get('NODE_ENV', { infer: true })),
    },
  ],
  exports: [TokenCipher],
})
export class TokenCipherModule {}
