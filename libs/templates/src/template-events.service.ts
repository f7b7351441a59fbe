import { Injectable, Logger } from '@nestjs/common';
import type { TemplateCategoryEvent, TemplateQualityEvent, TemplateStatusEvent } from '@clarion/whatsapp';
import type { TemplateCategory, TemplateStatus } from './template.entity';
import { toTemplateStatus } from './template-status';
import { TemplatesRepository } from './templates.repository';

export type TemplateEvent = TemplateStatusEvent | TemplateQualityEvent | TemplateCategoryEvent;

/** A template whose status a webhook moved: what the caller needs to act on its broadcasts. */
export interface TemplateStatusChange {
  templateId: number;
  name: string;
  status: TemplateStatus;
  reason: string | null;
}

const CATEGORIES: readonly string[] = ['MARKETING', 'UTILITY', 'AUTHENTICATION'];

/**
 * Applies Meta's template webhooks: `message_template_status_update` (APPROVED, REJECTED with
 * its reason, PAUSED, DISABLED, …), `message_template_quality_update` and the completed
 * `template_category_update`. Each names the template by Meta's id (else WABA, name and
 * language); one Clarion does not know is logged and left. Applying one twice changes nothing.
 */
@Injectable()
export class TemplateEvents {
  private readonly logger = new Logger(TemplateEvents.name);

  constructor(private readonly repository: TemplatesRepository) {}

  /** Applies the events in order; returns the status changes, for the caller to pause broadcasts. */
  async apply(events: TemplateEvent[]): Promise<TemplateStatusChange[]> {
    const changes: TemplateStatusChange[] = [];
    for (const event of events) {
      if (event.kind === 'template_status') changes.push(...(await this.applyStatus(event)));
      else if (event.kind === 'template_quality') await this.applyQuality(event);
      else await this.applyCategory(event);
    }
    return changes;
  }

  private async applyStatus(event: TemplateStatusEvent): Promise<TemplateStatusChange[]> {
    const status = toTemplateStatus(event.status);
    if (status === 'unchanged') return [];
    if (status === undefined) {
      this.logger.warn(`template ${event.templateId}: status event ${event.status} is not known; ignored`);
      return [];
    }
    const reason = event.reason?.slice(0, 500) ?? null;
    const ids = await this.updated(event, { status, statusReason: reason });
    return ids.map((templateId) => ({ templateId, name: event.name ?? event.templateId, status, reason }));
  }

  private async applyQuality(event: TemplateQualityEvent): Promise<void> {
    await this.updated(event, { qualityScore: event.quality.slice(0, 20) });
  }

  private async applyCategory(event: TemplateCategoryEvent): Promise<void> {
    if (!CATEGORIES.includes(event.category)) {
      this.logger.warn(`template ${event.templateId}: category ${event.category} is not one Clarion tracks; ignored`);
      return;
    }
    await this.updated(event, { category: event.category as TemplateCategory });
  }

  private async updated(event: TemplateEvent, values: Parameters<TemplatesRepository['updateByMetaRef']>[1]): Promise<number[]> {
    const ids = await this.repository.updateByMetaRef(
      { metaId: event.templateId, wabaId: event.wabaId, name: event.name, language: event.language },
      values,
    );
    if (ids.length === 0)
      this.logger.warn(`${event.kind} for unknown template ${event.templateId} (${event.name ?? '?'}) of WABA ${event.wabaId}; ignored`);
    return ids;
  }
}
