import { Injectable, Logger } from '@nestjs/common';
import { DomainError, ErrorCode } from '@clarion/common';
import { SendersService } from '@clarion/senders';
import { ErrorClass, MessageTemplateCreateRequest, WhatsAppClients } from '@clarion/whatsapp';
import { TemplateInput, ValidTemplate, validateTemplate } from './rules/template-rules';
import type { Template, TemplateCategory, TemplateStatus } from './template.entity';
import { toTemplateStatus } from './template-status';
import { TemplatesRepository } from './templates.repository';

export interface SubmitTemplateCommand extends TemplateInput {
  /** A Cloud API sender with a wabaId: the template is submitted to that WhatsApp Business Account. */
  senderId: number;
}

const CATEGORIES: readonly string[] = ['MARKETING', 'UTILITY', 'AUTHENTICATION'];

/** Meta's answer as one of Clarion's statuses; one Clarion does not track counts as PENDING until a webhook or sync settles it. */
function metaStatus(status: string): TemplateStatus {
  const mapped = toTemplateStatus(status);
  return mapped === undefined || mapped === 'unchanged' ? 'PENDING' : mapped;
}

/**
 * Submits a template to Meta for review (`POST /{waba-id}/message_templates` of the sender's
 * WABA) and keeps it with Meta's id and answer, usually PENDING; webhooks and syncs move it on.
 * The components go as given, with the `example` values Meta requires for every variable; Meta
 * is the judge of those, and a template it refuses comes back as a validation error quoting it.
 */
@Injectable()
export class SubmitTemplate {
  private readonly logger = new Logger(SubmitTemplate.name);

  constructor(
    private readonly senders: SendersService,
    private readonly clients: WhatsAppClients,
    private readonly repository: TemplatesRepository,
  ) {}

  async execute(command: SubmitTemplateCommand): Promise<Template> {
    const valid = validateTemplate(command);
    const sender = await this.senders.getCredentials(command.senderId);
    if (sender.api !== 'cloud')
      throw DomainError.validation(`sender ${sender.id} uses the On-Premises API; templates are submitted through the Cloud Graph API`);
    if (!sender.wabaId)
      throw DomainError.validation(`sender ${sender.id} has no wabaId: set it to submit templates to its WhatsApp Business Account`);
    const wabaId = sender.wabaId;
    const existing = await this.repository.findByNameLanguage(valid.name, valid.language, wabaId);
    if (existing.some((t) => t.wabaId === wabaId))
      throw DomainError.conflict(`template ${valid.name} (${valid.language}) already exists for WABA ${wabaId}`);

    const answer = await this.clients.submitTemplate(sender, toMetaRequest(valid)).catch((error: unknown) => {
      throw refusal(error, valid);
    });
    const category = String(answer.category ?? '').toUpperCase();
    const status = metaStatus(answer.status);
    const id = await this.repository.insert({
      wabaId,
      metaId: answer.id,
      name: valid.name,
      language: valid.language,
      // Meta may settle on another category than the one asked for; its word counts.
      category: (CATEGORIES.includes(category) ? category : valid.category) as TemplateCategory,
      status,
      statusReason: null,
      parameterFormat: valid.parameterFormat,
      components: valid.components,
    });
    this.logger.log({ templateId: id, metaId: answer.id, wabaId, senderId: sender.id }, `template ${valid.name} submitted: ${status}`);
    return (await this.repository.findById(id))!;
  }
}

export function toMetaRequest(valid: ValidTemplate): MessageTemplateCreateRequest {
  return {
    name: valid.name,
    language: valid.language,
    category: valid.category,
    parameter_format: valid.parameterFormat === 'NAMED' ? 'named' : 'positional',
    components: valid.components,
  };
}

/**
 * Meta refusing the template itself (a 4xx that is not about the token or a rate limit: a
 * missing example, a name taken in that language, …) is the caller's to fix: a validation error
 * with Meta's words. Anything else stays an upstream error.
 */
function refusal(error: unknown, valid: ValidTemplate): unknown {
  if (!(error instanceof DomainError) || error.code !== ErrorCode.Upstream) return error;
  const whatsapp = error.details?.whatsapp as
    { code: number; message: string; details?: string; httpStatus?: number; errorClass: ErrorClass } | undefined;
  const status = whatsapp?.httpStatus ?? 0;
  const own = whatsapp && status >= 400 && status < 500 && ![ErrorClass.Auth, ErrorClass.Throughput].includes(whatsapp.errorClass);
  if (!own) return error;
  const said = [whatsapp.message, whatsapp.details].filter(Boolean).join(': ');
  return DomainError.validation(`Meta refused template ${valid.name} (${valid.language}): ${said}`, {
    whatsapp: { code: whatsapp.code, message: whatsapp.message, details: whatsapp.details },
  });
}
