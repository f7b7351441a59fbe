import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SendersModule } from '@clarion/senders';
import { WhatsAppModule } from '@clarion/whatsapp';
import { SubmitTemplate } from './submit-template.service';
import { SyncTemplates } from './sync-templates.service';
import { TemplateEvents } from './template-events.service';
import { Template } from './template.entity';
import { TemplatesRepository } from './templates.repository';
import { TemplatesService } from './templates.service';

/** Templates: validation, storage, status, import/export, submission to Meta, its webhooks and sync from the Graph API. */
@Module({
  imports: [TypeOrmModule.forFeature([Template]), SendersModule, WhatsAppModule],
  providers: [TemplatesRepository, TemplatesService, SyncTemplates, SubmitTemplate, TemplateEvents],
  exports: [TemplatesService, SyncTemplates, SubmitTemplate, TemplateEvents],
})
export class TemplatesModule {}
