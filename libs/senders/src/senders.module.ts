import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { WhatsAppModule } from '@clarion/whatsapp';
import { Sender } from './sender.entity';
import { SendersRepository } from './senders.repository';
import { SendersService } from './senders.service';
import { SyncSender } from './sync-sender.service';
import { TokenCipherModule } from './token-cipher.module';

/** Senders, their encrypted credentials and their sync from the Graph API. */
@Module({
  imports: [TypeOrmModule.forFeature([Sender]), WhatsAppModule, TokenCipherModule],
  providers: [SendersRepository, SendersService, SyncSender],
  exports: [SendersService, SyncSender],
})
export class SendersModule {}
