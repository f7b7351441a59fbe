import type { WebhookTemplateStatusValue } from '@clarion/whatsapp';
import type { SandboxTemplate } from './sandbox-config';

/** A template submitted through `POST /{waba-id}/message_templates`, as the sandbox keeps it. */
export interface SubmittedTemplate extends SandboxTemplate {
  id: string;
  wabaId: string;
  status: NonNullable<SandboxTemplate['status']>;
}

export interface TemplateReviewOptions {
  /** How long Meta's review takes. */
  delayMs: number;
  /** Names starting with this are rejected. */
  rejectPrefix: string;
}

/** Posts a `message_template_status_update` change for a WABA (signed, like every webhook). */
export type TemplateStatusPoster = (wabaId: string, value: WebhookTemplateStatusValue) => Promise<unknown>;

/** Meta's webhook events → the status a template then has (REINSTATED means approved again). */
const STATUS_OF_EVENT: Record<string, SubmittedTemplate['status']> = {
  APPROVED: 'APPROVED',
  REINSTATED: 'APPROVED',
  REJECTED: 'REJECTED',
  PAUSED: 'PAUSED',
  DISABLED: 'DISABLED',
  PENDING: 'PENDING',
};

export const REJECTION = {
  reason: 'INVALID_FORMAT',
  text: 'Sandbox: templates whose name starts with reject_ are rejected.',
  recommendation: 'Rename the template to have it approved.',
};

/**
 * Meta's template review, played out: a submission is PENDING, and `delayMs` later APPROVED (or
 * REJECTED, for names starting with `rejectPrefix`), announced by a signed
 * `message_template_status_update` webhook. `setStatus` plays Meta pausing, disabling or
 * reinstating one later. Submissions are per WABA; sends are checked against them.
 */
export class TemplateReviews {
  private readonly submitted = new Map<string, SubmittedTemplate>();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly options: () => TemplateReviewOptions,
    private readonly post: TemplateStatusPoster,
  ) {}

  find(wabaId: string, name: string, language: string): SubmittedTemplate | undefined {
    return this.submitted.get(key(wabaId, name, language));
  }

  /**
   * The submission a send uses: the one of the number's WABA, or, for a number the sandbox was
   * not told the WABA of (`wabaId` undefined), one of any WABA.
   */
  findForSend(wabaId: string | undefined, name: string, language: string): SubmittedTemplate | undefined {
    if (wabaId !== undefined) return this.find(wabaId, name, language);
    return [...this.submitted.values()].find((t) => t.name === name && t.language === language);
  }

  list(wabaId: string): SubmittedTemplate[] {
    return [...this.submitted.values()].filter((t) => t.wabaId === wabaId);
  }

  /** Keeps the submission as PENDING and schedules its review. */
  submit(wabaId: string, id: string, template: SandboxTemplate): SubmittedTemplate {
    const submitted: SubmittedTemplate = { ...template, id, wabaId, status: 'PENDING' };
    this.submitted.set(key(wabaId, template.name, template.language), submitted);
    const { delayMs, rejectPrefix } = this.options();
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      const rejected = template.name.startsWith(rejectPrefix);
      void this.setStatus(
        wabaId,
        template.name,
        template.language,
        rejected ? 'REJECTED' : 'APPROVED',
        rejected ? REJECTION.text : undefined,
      );
    }, delayMs);
    this.timers.add(timer);
    return submitted;
  }

  /**
   * Moves a submitted template to the status of Meta's `event` (APPROVED, REJECTED, PAUSED,
   * DISABLED, REINSTATED) and posts the webhook. Undefined if there is no such template.
   */
  async setStatus(wabaId: string, name: string, language: string, event: string, reason?: string): Promise<SubmittedTemplate | undefined> {
    const template = this.find(wabaId, name, language);
    const status = STATUS_OF_EVENT[event.toUpperCase()];
    if (!template || !status) return undefined;
    template.status = status;
    const value: WebhookTemplateStatusValue = {
      event: event.toUpperCase(),
      message_template_id: Number(template.id),
      message_template_name: name,
      message_template_language: language,
      message_template_category: template.category,
      reason: status === 'REJECTED' ? REJECTION.reason : 'NONE',
    };
    if (reason && status === 'REJECTED') value.rejection_info = { reason, recommendation: REJECTION.recommendation };
    else if (reason) value.other_info = { title: status === 'PAUSED' ? 'FIRST_PAUSE' : status, description: reason };
    await this.post(wabaId, value);
    return template;
  }

  /** Forgets every submission and cancels the reviews still to come. */
  clear(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.submitted.clear();
  }
}

function key(wabaId: string, name: string, language: string): string {
  return `${wabaId}|${name}|${language}`;
}
