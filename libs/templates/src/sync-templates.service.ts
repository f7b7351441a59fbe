import { Injectable, Logger } from '@nestjs/common';
import { DomainError } from '@clarion/common';
import { SendersService } from '@clarion/senders';
import { MessageTemplateResponseItem, WhatsAppClients } from '@clarion/whatsapp';
import { validateTemplate } from './rules/template-rules';
import type { TemplateStatus } from './template.entity';
import { toTemplateStatus } from './template-status';
import { TemplatesRepository } from './templates.repository';

export interface SyncResult {
  wabaId: string;
  created: number;
  updated: number;
  skipped: Array<{ name: string; language: string; reason: string }>;
}

/**
 * Copies a WABA's templates and their Meta status from `GET /{waba-id}/message_templates`.
 * Meta has already reviewed them, so Clarion's create-time rules do not refuse them; only a
 * template Clarion cannot represent (unknown category or status) is skipped, with the reason.
 */
@Injectable()
export class SyncTemplates {
  private readonly logger = new Logger(SyncTemplates.name);

  constructor(
    private readonly senders: SendersService,
    private readonly clients: WhatsAppClients,
    private readonly repository: TemplatesRepository,
  ) {}

  async syncFromSender(senderId: number): Promise<SyncResult> {
    const credentials = await this.senders.getCredentials(senderId);
    if (!credentials.wabaId)
      throw DomainError.validation(`sender ${senderId} has no wabaId: set it to read its WhatsApp Business Account's templates`);
    if (credentials.api !== 'cloud')
      throw DomainError.validation(`sender ${senderId} uses the On-Premises API; templates are read from the Cloud Graph API`);
    const items = await this.clients.listTemplates(credentials);
    const result: SyncResult = { wabaId: credentials.wabaId, created: 0, updated: 0, skipped: [] };
    for (const item of items) {
      const row = this.toRow(credentials.wabaId, item);
      if (typeof row === 'string') {
        result.skipped.push({ name: item.name, language: item.language, reason: row });
        continue;
      }
      result[await this.repository.upsert(row)]++;
    }
    this.logger.log(
      `synced ${items.length} templates of WABA ${credentials.wabaId}: ${result.created} new, ${result.updated} updated, ${result.skipped.length} skipped`,
    );
    return result;
  }

  private toRow(wabaId: string, item: MessageTemplateResponseItem) {
    const status = toTemplateStatus(String(item.status ?? ''));
    if (status === undefined || status === 'unchanged') return `status ${item.status} is not one Clarion tracks`;
    const category = String(item.category ?? '').toUpperCase();
    if (!['MARKETING', 'UTILITY', 'AUTHENTICATION'].includes(category))
      return `category ${item.category} is not MARKETING, UTILITY or AUTHENTICATION`;
    let components = (item.components ?? []).map((c) => ({ ...c, type: String(c.type ?? '').toUpperCase() }));
    let parameterFormat: 'POSITIONAL' | 'NAMED' =
      String(item.parameter_format ?? 'POSITIONAL').toUpperCase() === 'NAMED' ? 'NAMED' : 'POSITIONAL';
    try {
      const valid = validateTemplate({
        name: item.name,
        language: item.language,
        category,
        components: item.components,
        parameter_format: item.parameter_format,
      });
      components = valid.components;
      parameterFormat = valid.parameterFormat;
    } catch {
      // Meta approved it: keep it as Meta has it.
    }
    return {
      wabaId,
      metaId: String(item.id),
      name: item.name,
      language: item.language,
      category: category as 'MARKETING' | 'UTILITY' | 'AUTHENTICATION',
      status: status as TemplateStatus,
      statusReason: null,
      parameterFormat,
      components,
    };
  }
}
