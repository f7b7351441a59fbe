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
import type { TemplateComponentParameters } from '@clarion/whatsapp';

export interface DryRunReport {
  total: number;
  wouldSend: number;
  skipped: number;
  skippedByReason: Record<string, number>;
  estimatedCost: number | null;
  /** The first rendered messages, to eyeball the variables. */
  samples: Array<{ contactId: number; phone: string; components: TemplateComponentParameters[] }>;
  /** The first skipped recipients, with why. */
  skips: Array<{ contactId: number; phone: string; reason: string; message: string | null }>;
}

const CHUNK = 5_000;
const SAMPLES = 20;
const SKIP_ROWS = 500;

/** Renders every recipient of a would-be broadcast and reports what would be skipped; sends and stores nothing. */
@Injectable()
export class DryRunBroadcast {
  constructor(
    private readonly creator: CreateBroadcast,
    private readonly fanOut: FanOutService,
    private readonly audience: BroadcastAudienceReader,
  ) {}

  async execute(cmd: CreateBroadcastCommand): Promise<DryRunReport> {
    const prepared = (await this.creator.prepare(cmd)) as Broadcast;
    const planner = await this.fanOut.plannerFor(prepared);
    const report: DryRunReport = {
      total: 0,
      wouldSend: 0,
      skipped: 0,
      skippedByReason: {},
      estimatedCost: prepared.estimatedCost ?? null,
      samples: [],
      skips: [],
    };
    const seen = new Set<string>();
    let cursor = 0;
    for (;;) {
      const contacts = await this.audience.readChunk(prepared.audience!, cursor, CHUNK);
      if (contacts.length === 0) break;
      cursor = contacts[contacts.length - 1].id;
      for (const p of planner.plan(
        contacts.map((contact) => ({ contact, enrollmentId: 0 })),
        seen,
      ))
        this.add(report, p);
    }
    return report;
  }

  private add(report: DryRunReport, p: PlannedRecipient): void {
    report.total++;
    if (p.skipReason === null) {
      report.wouldSend++;
      if (report.samples.length < SAMPLES)
        report.samples.push({ contactId: p.contactId, phone: p.phone, components: p.params as TemplateComponentParameters[] });
      return;
    }
    report.skipped++;
    report.skippedByReason[p.skipReason] = (report.skippedByReason[p.skipReason] ?? 0) + 1;
    if (report.skips.length < SKIP_ROWS)
      report.skips.push({ contactId: p.contactId, phone: p.phone, reason: p.skipReason, message: p.detail ?? skipMessage(p.skipReason) });
  }
}
