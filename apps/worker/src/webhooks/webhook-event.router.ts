import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Environment } from '@clarion/config';
import { keywordSet, normaliseKeyword, OptOutService } from '@clarion/contacts';
import { SendersService } from '@clarion/senders';
import { StatusIngestService } from '@clarion/stats';
import { PauseTemplateBroadcasts } from '@clarion/broadcasts';
import { TemplateEvent, TemplateEvents, TemplateStatusChange } from '@clarion/templates';
import type { WebhookEventHandler } from '@clarion/webhooks';
import type { InboundMessageEvent, StatusEvent, WebhookEvent } from '@clarion/whatsapp';

const KNOWN_NUMBERS_TTL_MS = 10_000;

interface OptChange {
  waId: string;
  at: Date;
  action: 'out' | 'in';
}

/**
 * Sends each webhook event where it belongs: statuses and inbound messages to statistics,
 * template status, quality and category changes to templates (pausing the broadcasts of a
 * template Meta paused or disabled), `user_preferences` and opt-out / opt-in keywords
 * (OPT_OUT_KEYWORDS, OPT_IN_KEYWORDS; any case, trimmed) to contacts. Events for a phone
 * number id that is none of our senders are dropped with a log line.
 */
@Injectable()
export class WebhookEventRouter implements WebhookEventHandler {
  private readonly logger = new Logger(WebhookEventRouter.name);
  private readonly optOutWords: Set<string>;
  private readonly optInWords: Set<string>;
  private known = new Set<string>();
  private knownAt = 0;

  constructor(
    config: ConfigService<Environment, true>,
    private readonly stats: StatusIngestService,
    private readonly optOut: OptOutService,
    private readonly templates: TemplateEvents,
    private readonly pauseTemplateBroadcasts: PauseTemplateBroadcasts,
    private readonly senders: SendersService,
  ) {
    this.optOutWords = keywordSet(config.get('OPT_OUT_KEYWORDS', { infer: true }));
    this.optInWords = keywordSet(config.get('OPT_IN_KEYWORDS', { infer: true }));
  }

  async handle(events: WebhookEvent[]): Promise<void> {
    const statuses: StatusEvent[] = [];
    const inbound: InboundMessageEvent[] = [];
    const templateEvents: TemplateEvent[] = [];
    const optChanges: OptChange[] = [];
    const strays = new Map<string, number>();
    const others = new Map<string, number>();
    const lookup = { refreshed: false };

    for (const event of events) {
      if (event.kind === 'other') {
        others.set(event.field, (others.get(event.field) ?? 0) + 1);
        continue;
      }
      if (event.kind === 'template_status' || event.kind === 'template_quality' || event.kind === 'template_category') {
        templateEvents.push(event);
        continue;
      }
      if (!(await this.isOurs(event.phoneNumberId, lookup))) {
        strays.set(event.phoneNumberId, (strays.get(event.phoneNumberId) ?? 0) + 1);
        continue;
      }
      if (event.kind === 'status') statuses.push(event);
      else if (event.kind === 'user_preference')
        optChanges.push({ waId: event.waId, at: event.timestamp, action: event.value === 'stop' ? 'out' : 'in' });
      else if (event.kind === 'inbound') {
        inbound.push(event);
        const action = this.keywordAction(event);
        if (action) optChanges.push({ waId: event.from, at: event.timestamp, action });
      }
    }

    for (const [field, n] of others) this.logger.log(`webhook: ${n} '${field}' event(s) not acted on`);
    for (const [id, n] of strays) this.logger.warn(`webhook: ${n} event(s) for phone number id ${id}, which is no sender of ours; ignored`);

    if (statuses.length > 0) await this.stats.applyStatuses(statuses);
    if (inbound.length > 0) await this.stats.applyInbound(inbound);
    if (templateEvents.length > 0) await this.pauseBroadcastsOf(await this.templates.apply(templateEvents));
    // In the order the person made them; applyReported also keeps the newest across batches and workers.
    optChanges.sort((a, b) => a.at.getTime() - b.at.getTime());
    for (const change of optChanges) await this.optOut.applyReported(change.waId, change.action === 'out', change.at);
  }

  /** A template Meta paused or disabled stops its running broadcasts, with Meta's reason. */
  private async pauseBroadcastsOf(changes: TemplateStatusChange[]): Promise<void> {
    for (const change of changes) {
      if (change.status !== 'PAUSED' && change.status !== 'DISABLED') continue;
      const reason = `template ${change.name} was ${change.status} by Meta${change.reason ? `: ${change.reason}` : ''}`;
      await this.pauseTemplateBroadcasts.execute(change.templateId, reason);
    }
  }

  private keywordAction(event: InboundMessageEvent): 'out' | 'in' | undefined {
    for (const text of [event.text, event.payload]) {
      if (!text) continue;
      const word = normaliseKeyword(text);
      if (this.optOutWords.has(word)) return 'out';
      if (this.optInWords.has(word)) return 'in';
    }
    return undefined;
  }

  /**
   * Cached list of our senders' numbers, refreshed every 10 s, and on a miss once per batch:
   * a sender created a moment ago must never have its events dropped as strays.
   */
  private async isOurs(phoneNumberId: string, lookup: { refreshed: boolean }): Promise<boolean> {
    const stale = Date.now() - this.knownAt > KNOWN_NUMBERS_TTL_MS;
    if (stale || (!this.known.has(phoneNumberId) && !lookup.refreshed)) {
      lookup.refreshed = true;
      this.known = new Set(await this.senders.phoneNumberIds());
      this.knownAt = Date.now();
    }
    return this.known.has(phoneNumberId);
  }
}
