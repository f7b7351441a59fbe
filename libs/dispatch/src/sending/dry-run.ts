import { Injectable } from '@nestjs/common';
import {
  BroadcastAudienceReader,
  CreateBroadcast,
  CreateBroadcastCommand,
  FanOutService,
  PlannedRecipient,
  skipMessage,
} from '@clarion/broadcasts';
import type { Broadcast } from '@clarion/broadcasts';
import type { AudienceContact } from '@clarion/contacts';
import { PriceTable } from '@clarion/pricing';
import type { TemplateComponentParameters } from '@clarion/whatsapp';

/** One contact of the audience, chosen by id or by phone (digits compared, so "+91 98765 43210" finds +919876543210). */
export interface PreviewContactChoice {
  contactId?: number;
  phone?: string;
}

export interface DryRunCommand extends CreateBroadcastCommand {
  /** Also render this one contact of the audience (a marketer's search), wherever it is in the audience. */
  previewContact?: PreviewContactChoice;
}

export interface DryRunSample {
  contactId: number;
  phone: string;
  name: string | null;
  components: TemplateComponentParameters[];
}

export interface DryRunReport {
  total: number;
  wouldSend: number;
  skipped: number;
  skippedByReason: Record<string, number>;
  estimatedCost: number | null;
  /** The template's category and the price table's currency the figures below are in. */
  category: string | null;
  currency: string;
  /** Recipients who would be sent, by country, at the price table's price for the template's category. */
  byCountry: Array<{ country: string | null; recipients: number; unitPrice: number; cost: number }>;
  /** The first rendered messages, to eyeball the variables. */
  samples: DryRunSample[];
  /** The first skipped recipients, with why. */
  skips: Array<{ contactId: number; phone: string; reason: string; message: string | null }>;
  /** The chosen contact, rendered (or why it would be skipped); null when the audience holds no such contact or none was asked for. */
  preview: (DryRunSample & { skipReason: string | null; message: string | null }) | null;
}

const CHUNK = 5_000;
const SAMPLES = 20;
const SKIP_ROWS = 500;

const digits = (phone: string) => phone.replace(/\D/g, '');

/** Renders every recipient of a would-be broadcast and reports what would be skipped; sends and stores nothing. */
@Injectable()
export class DryRunBroadcast {
  constructor(
    private readonly creator: CreateBroadcast,
    private readonly fanOut: FanOutService,
    private readonly audience: BroadcastAudienceReader,
    private readonly prices: PriceTable,
  ) {}

  async execute(cmd: DryRunCommand): Promise<DryRunReport> {
    const prepared = (await this.creator.prepare(cmd)) as Broadcast;
    const planner = await this.fanOut.plannerFor(prepared);
    const report: DryRunReport = {
      total: 0,
      wouldSend: 0,
      skipped: 0,
      skippedByReason: {},
      estimatedCost: prepared.estimatedCost ?? null,
      category: prepared.templateCategory ?? null,
      currency: this.prices.currency,
      byCountry: [],
      samples: [],
      skips: [],
      preview: null,
    };
    const wanted = previewMatcher(cmd.previewContact);
    const byCountry = new Map<string | null, number>();
    const seen = new Set<string>();
    let cursor = 0;
    for (;;) {
      const contacts = await this.audience.readChunk(prepared.audience!, cursor, CHUNK);
      if (contacts.length === 0) break;
      cursor = contacts[contacts.length - 1].id;
      const planned = planner.plan(
        contacts.map((contact) => ({ contact, enrollmentId: 0 })),
        seen,
      );
      planned.forEach((p, i) => {
        this.add(report, p, contacts[i]);
        if (p.skipReason === null) byCountry.set(p.country ?? null, (byCountry.get(p.country ?? null) ?? 0) + 1);
        if (wanted && !report.preview && wanted(contacts[i])) report.preview = previewOf(p, contacts[i]);
      });
    }
    report.byCountry = [...byCountry]
      .map(([country, recipients]) => {
        const unitPrice = this.prices.priceOf(report.category ?? undefined, country);
        return { country, recipients, unitPrice, cost: Math.round(recipients * unitPrice * 10_000) / 10_000 };
      })
      .sort((a, b) => b.recipients - a.recipients || String(a.country).localeCompare(String(b.country)));
    return report;
  }

  private add(report: DryRunReport, p: PlannedRecipient, contact: AudienceContact): void {
    report.total++;
    if (p.skipReason === null) {
      report.wouldSend++;
      if (report.samples.length < SAMPLES)
        report.samples.push({
          contactId: p.contactId,
          phone: p.phone,
          name: contact.name ?? null,
          components: p.params as TemplateComponentParameters[],
        });
      return;
    }
    report.skipped++;
    report.skippedByReason[p.skipReason] = (report.skippedByReason[p.skipReason] ?? 0) + 1;
    if (report.skips.length < SKIP_ROWS)
      report.skips.push({ contactId: p.contactId, phone: p.phone, reason: p.skipReason, message: p.detail ?? skipMessage(p.skipReason) });
  }
}

function previewMatcher(choice: PreviewContactChoice | undefined): ((c: AudienceContact) => boolean) | null {
  if (choice?.contactId) return (c) => c.id === choice.contactId;
  const phone = choice?.phone ? digits(choice.phone) : '';
  return phone ? (c) => digits(c.phone) === phone : null;
}

function previewOf(p: PlannedRecipient, contact: AudienceContact): NonNullable<DryRunReport['preview']> {
  return {
    contactId: p.contactId,
    phone: p.phone,
    name: contact.name ?? null,
    components: (p.params as TemplateComponentParameters[] | null) ?? [],
    skipReason: p.skipReason,
    message: p.skipReason ? (p.detail ?? skipMessage(p.skipReason)) : null,
  };
}
