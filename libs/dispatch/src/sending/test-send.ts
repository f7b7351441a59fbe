import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { isValidPhoneNumber } from 'libphonenumber-js';
import { DataSource } from 'typeorm';
import { SendableTemplatesRepository, SendersLookup } from '@clarion/broadcasts';
import { DomainError } from '@clarion/common';
import { SendersService } from '@clarion/senders';
import { MappingError, MessageRenderer, RenderContact } from '@clarion/templates';
import { TemplateComponentParameters, WhatsAppClients } from '@clarion/whatsapp';
import { MessagingQuota } from '../quota/messaging-quota';
import { Grant, ThroughputLimiter } from '../throttling/throughput-limiter';

export interface TestSendCommand {
  senderId: number;
  template: { name: string; language: string };
  variables?: Record<string, string>;
  headerMediaUrl?: string | null;
  /** E.164. If a contact has this phone, its name and attributes fill the variables. */
  phone: string;
  /** Used when no contact has the phone. */
  name?: string;
  attributes?: Record<string, string>;
}

export type TestSendResult =
  | { ok: true; wamid: string; to: string; components: TemplateComponentParameters[] }
  | { ok: false; to: string; error: { code: number; title: string; message: string; class: string } };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Sends one rendered message to one number, now, through the sender's limiter and messaging quota; records nothing in any broadcast. */
@Injectable()
export class TestSend {
  constructor(
    private readonly senders: SendersLookup,
    private readonly sendersService: SendersService,
    private readonly templates: SendableTemplatesRepository,
    private readonly clients: WhatsAppClients,
    private readonly limiter: ThroughputLimiter,
    private readonly quota: MessagingQuota,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  async execute(cmd: TestSendCommand): Promise<TestSendResult> {
    if (!isValidPhoneNumber(cmd.phone))
      throw DomainError.validation(`phone: "${cmd.phone}" is not a valid number in E.164 (e.g. +14155550100)`);
    const sender = await this.senders.get(cmd.senderId);
    if (sender.status !== 'active')
      throw DomainError.invalidState(`sender ${sender.id} is ${sender.status}${sender.statusReason ? `: ${sender.statusReason}` : ''}`);
    const template = await this.templates.findSendable(cmd.template.name, cmd.template.language, sender.wabaId);
    let renderer: MessageRenderer;
    try {
      renderer = MessageRenderer.compile(template, cmd.variables ?? {}, cmd.headerMediaUrl ?? null);
    } catch (error) {
      if (error instanceof MappingError) throw DomainError.validation(error.message);
      throw error;
    }
    const rendered = renderer.render(await this.contactFor(cmd));
    if (!rendered.ok) throw DomainError.validation(`this recipient would be skipped (${rendered.reason}): ${rendered.message}`);
    const scope = { senderId: sender.id, portfolio: sender.portfolio, limit: sender.messagingLimit };
    const [admitted] = await this.quota.admit(scope, [cmd.phone]);
    if (!admitted)
      throw DomainError.invalidState(
        `sender ${sender.id} has reached its messaging limit of ${sender.messagingLimit} unique recipients; try later`,
      );
    const outcome = await this.quota.settleAfter(scope, [cmd.phone], async () => {
      const grant = await this.oneToken(sender.id, sender.throughputMps);
      const credentials = await this.sendersService.getCredentials(sender.id);
      try {
        return await this.clients.for(credentials).sendTemplate(credentials, {
          to: cmd.phone,
          template: { name: template.name, language: template.language, components: rendered.components },
        });
      } finally {
        if (grant.ref) await this.limiter.settle(sender.id, grant.ref).catch(() => undefined);
      }
    });
    if (outcome.ok) return { ok: true, wamid: outcome.wamid, to: cmd.phone, components: rendered.components };
    const e = outcome.error;
    return { ok: false, to: cmd.phone, error: { code: e.code, title: e.title, message: e.message, class: e.errorClass } };
  }

  /** One token from the sender's shared limiter, waiting up to 5 s for it (and for a booked one's moment). */
  private async oneToken(senderId: number, capMps: number): Promise<Grant> {
    for (let waited = 0; ; waited += 50) {
      const grant = await this.limiter.acquire(senderId, capMps, 1);
      if (grant.granted > 0 && grant.startInMs > 0) await sleep(grant.startInMs);
      if (grant.granted > 0) return grant;
      if (waited > 5_000) throw DomainError.invalidState(`sender ${senderId} is sending at its cap; try again in a moment`);
      await sleep(50);
    }
  }

  private async contactFor(cmd: TestSendCommand): Promise<RenderContact> {
    const rows = await this.db.query('SELECT phone, name, country, attributes, opted_out FROM contacts WHERE phone = ? LIMIT 1', [
      cmd.phone,
    ]);
    const c = rows[0];
    if (!c) return { phone: cmd.phone, name: cmd.name ?? null, attributes: cmd.attributes ?? {} };
    // The contract: an opted-out contact gets no business-initiated message, test sends included.
    if (Number(c.opted_out) === 1)
      throw DomainError.invalidState(`${cmd.phone} has opted out of messages; a test send to it is refused (opt it back in first)`);
    const attributes = typeof c.attributes === 'string' ? JSON.parse(c.attributes) : (c.attributes ?? {});
    return { phone: c.phone, name: c.name, country: c.country, attributes: { ...attributes, ...(cmd.attributes ?? {}) } };
  }
}
