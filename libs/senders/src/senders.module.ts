import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { Environment } from '@clarion/config';
import { WhatsAppModule } from '@clarion/whatsapp';
import { Sender } from './sender.entity';
import { SendersRepository } from './senders.repository';
import { SendersService } from './senders.service';
import { SyncSender } from './sync-sender.service';
import { TokenCipher } from './token-cipher';

/** Senders, their encrypted credentials and their sync from the Graph API. */
@Module({
  imports: [TypeOrmModule.forFeature([Sender]), WhatsAppModule],
  providers: [
    {
      provide: TokenCipher,
      inject: [ConfigService],
      useFactory: (config: ConfigService<Environment, true>) =>
        TokenCipher.fromConfig(config.get('CLARION_ENCRYPTION_KEY', { infer: true }), config.get('NODE_ENV', { infer: true })),
    },
    SendersRepository,
    SendersService,
    SyncSender,
  ],
  exports: [SendersService, SyncSender],
})
export class SendersModule {}
