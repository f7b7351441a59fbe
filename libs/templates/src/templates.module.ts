import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SendersModule } from '@clarion/senders';
import { WhatsAppModule } from '@clarion/whatsapp';
import { SyncTemplates } from './sync-templates.service';
import { Template } from './template.entity';
import { TemplatesRepository } from './templates.repository';
import { TemplatesService } from './templates.service';

/** Templates: validation, storage, status, import/export and sync from the Graph API. */
@Module({
  imports: [TypeOrmModule.forFeature([Template]), SendersModule, WhatsAppModule],
  providers: [TemplatesRepository, TemplatesService, SyncTemplates],
  exports: [TemplatesService, SyncTemplates],
})
export class TemplatesModule {}
