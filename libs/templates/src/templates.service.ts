import { Injectable } from '@nestjs/common';
import { clampLimit, decodeCursor, DomainError, ErrorCode, Page, toPage } from '@clarion/common';
import { TemplateInput, validateTemplate } from './rules/template-rules';
import { describeVariables, TemplateVariableSpec } from './rules/template-variables';
import { Template, TemplateStatus } from './template.entity';
import { toTemplateStatus } from './template-status';
import { TemplateFilter, TemplatesRepository } from './templates.repository';

export interface CreateTemplateCommand extends TemplateInput {
  /** The WhatsApp Business Account it belongs to; absent = a local template. */
  wabaId?: string;
  /** Only admins may set it (e.g. a template approved outside Clarion); default PENDING. */
  status?: TemplateStatus;
}

/** A template in Meta's format, as exported and imported. */
export interface TemplateExport {
  name: string;
  language: string;
  category: string;
  parameter_format: 'positional' | 'named';
  components: Array<Record<string, unknown>>;
  status: TemplateStatus;
  wabaId?: string;
  metaId?: string;
}

export interface ImportResult {
  created: number;
  updated: number;
  errors: Array<{ index: number; name?: string; message: string }>;
}

/** A template that may be sent right now, with what a send must supply. */
export interface SendableTemplate {
  template: Template;
  variables: TemplateVariableSpec;
}

function isDuplicate(error: unknown): boolean {
  return (
    (error as { code?: string })?.code === 'ER_DUP_ENTRY' ||
    (error as { driverError?: { code?: string } })?.driverError?.code === 'ER_DUP_ENTRY'
  );
}

/**
 * Message templates: Meta's format, validated on the way in. How a template becomes
 * APPROVED: submitted to Meta (SubmitTemplate) or synced from the Graph API, it takes Meta's
 * status, `message_template_status_update` webhooks keep it current (TemplateEvents), and an
 * admin may set it explicitly (create, import or
 * `PUT /v1/templates/:id/status`) for a template approved outside Clarion or for the sandbox.
 * Only APPROVED templates can be sent.
 */
@Injectable()
export class TemplatesService {
  constructor(private readonly repository: TemplatesRepository) {}

  async create(command: CreateTemplateCommand): Promise<Template> {
    const valid = validateTemplate(command);
    try {
      const id = await this.repository.insert({
        wabaId: command.wabaId ?? '',
        metaId: null,
        name: valid.name,
        language: valid.language,
        category: valid.category,
        status: command.status ?? 'PENDING',
        statusReason: null,
        parameterFormat: valid.parameterFormat,
        components: valid.components,
      });
      return this.get(id);
    } catch (error) {
      if (isDuplicate(error))
        throw DomainError.conflict(
          `template ${valid.name} (${valid.language}) already exists${command.wabaId ? ` for WABA ${command.wabaId}` : ''}`,
        );
      throw error;
    }
  }

  async get(id: number): Promise<Template> {
    const template = await this.repository.findById(id);
    if (!template) throw DomainError.notFound('template', id);
    return template;
  }

  async list(filter: TemplateFilter, limit?: number, cursor?: string): Promise<Page<Template>> {
    const size = clampLimit(limit);
    const after = Number(decodeCursor<{ id: number }>(cursor)?.id ?? 0);
    return toPage(await this.repository.listAfter(after, size, filter), size, (t) => ({ id: t.id }));
  }

  /** Replaces the content (re-validated as a whole); a changed template needs approval again unless an admin says otherwise. */
  async update(id: number, patch: Partial<CreateTemplateCommand>): Promise<Template> {
    const current = await this.get(id);
    const merged: TemplateInput = {
      name: patch.name ?? current.name,
      language: patch.language ?? current.language,
      category: patch.category ?? current.category,
      components: patch.components ?? current.components,
      parameter_format: patch.parameter_format,
    };
    const valid = validateTemplate(merged);
    const contentChanged = patch.components !== undefined || patch.category !== undefined;
    try {
      await this.repository.update(id, {
        name: valid.name,
        language: valid.language,
        category: valid.category,
        parameterFormat: valid.parameterFormat,
        components: valid.components,
        ...(patch.wabaId !== undefined ? { wabaId: patch.wabaId } : {}),
        ...(patch.status
          ? { status: patch.status, statusReason: null }
          : contentChanged
            ? { status: 'PENDING' as const, statusReason: 'content changed' }
            : {}),
      });
    } catch (error) {
      if (isDuplicate(error)) throw DomainError.conflict(`template ${valid.name} (${valid.language}) already exists`);
      throw error;
    }
    return this.get(id);
  }

  async setStatus(id: number, status: TemplateStatus, reason?: string): Promise<Template> {
    await this.get(id);
    await this.repository.update(id, { status, statusReason: reason ?? null });
    return this.get(id);
  }

  async remove(id: number): Promise<void> {
    if (!(await this.repository.delete(id))) throw DomainError.notFound('template', id);
  }

  /**
   * The template to send for a broadcast: by name and language, the sender's WABA's own
   * before a local one. Throws NOT_FOUND if there is none, INVALID_STATE unless APPROVED.
   */
  async findSendable(name: string, language: string, wabaId?: string | null): Promise<SendableTemplate> {
    const [template] = await this.repository.findByNameLanguage(name, language, wabaId);
    if (!template)
      throw new DomainError(ErrorCode.NotFound, `template ${name} (${language}) not found${wabaId ? ` for WABA ${wabaId}` : ''}`);
    if (template.status !== 'APPROVED') {
      throw new DomainError(
        ErrorCode.InvalidState,
        `template ${name} (${language}) is ${template.status}${template.statusReason ? ` (${template.statusReason})` : ''}; only APPROVED templates can be sent`,
        {
          templateId: template.id,
          status: template.status,
        },
      );
    }
    return { template, variables: this.variablesOf(template) };
  }

  /** What a send of this template must supply (body parameters, header media, buttons). */
  variablesOf(template: Pick<Template, 'parameterFormat' | 'components'>): TemplateVariableSpec {
    return describeVariables(template.parameterFormat, template.components);
  }

  async exportAll(): Promise<TemplateExport[]> {
    return (await this.repository.findAll()).map((t) => toExport(t));
  }

  /**
   * Imports templates in the export format (or Meta's). Each item is validated on its own:
   * bad ones are reported by index, good ones are created or replace the existing one with
   * the same WABA, name and language. `status` is honoured only when `allowStatus`; otherwise
   * an unchanged template keeps its status and a new or changed one is PENDING.
   */
  async importMany(items: unknown[], allowStatus: boolean): Promise<ImportResult> {
    const result: ImportResult = { created: 0, updated: 0, errors: [] };
    for (const [index, raw] of items.entries()) {
      const item = (raw ?? {}) as Partial<TemplateExport> & { parameter_format?: string };
      try {
        if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw DomainError.validation('each template must be an object');
        const valid = validateTemplate(item as TemplateInput);
        const status = allowStatus && item.status ? toTemplateStatus(String(item.status)) : undefined;
        if (allowStatus && item.status && (status === undefined || status === 'unchanged'))
          throw DomainError.validation(`status ${String(item.status)} is not one of APPROVED, PENDING, REJECTED, PAUSED, DISABLED`);
        const outcome = await this.repository.upsert(
          {
            wabaId: typeof item.wabaId === 'string' ? item.wabaId : '',
            metaId: typeof item.metaId === 'string' ? item.metaId : null,
            name: valid.name,
            language: valid.language,
            category: valid.category,
            status: (status as TemplateStatus | undefined) ?? 'PENDING',
            statusReason: null,
            parameterFormat: valid.parameterFormat,
            components: valid.components,
          },
          status === undefined,
        );
        result[outcome]++;
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        result.errors.push({ index, ...(typeof item.name === 'string' ? { name: item.name } : {}), message: error.message });
      }
    }
    return result;
  }
}

export function toExport(t: Template): TemplateExport {
  return {
    name: t.name,
    language: t.language,
    category: t.category,
    parameter_format: t.parameterFormat === 'NAMED' ? 'named' : 'positional',
    components: t.components,
    status: t.status,
    ...(t.wabaId ? { wabaId: t.wabaId } : {}),
    ...(t.metaId ? { metaId: t.metaId } : {}),
  };
}
