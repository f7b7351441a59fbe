import type { TemplateComponentParameters } from '@clarion/whatsapp';
import { TrailingWindow } from './trailing-window';

/** One accepted send, as GET /_sandbox/ledger lists it. */
export interface LedgerEntry {
  /** Position in the ledger (1, 2, …): page with `?sinceId=`. */
  seq: number;
  wamid: string;
  phoneNumberId: string;
  api: 'cloud' | 'onprem';
  to: string;
  template: { name: string; language: string };
  /** The template's components (parameters) as sent. */
  params: TemplateComponentParameters[];
  callbackData?: string;
  /** Epoch ms when the sandbox accepted it. */
  acceptedAt: number;
}

export interface PhoneStats {
  accepted: number;
  rejectedByCode: Record<string, number>;
  /** Most sends accepted within any one-second window (exact, from acceptance timestamps). */
  maxInTrailingSecond: number;
  /** Status and inbound events delivered to the webhook URL (2xx). */
  webhooksPosted: number;
}

class PhoneCounters implements PhoneStats {
  accepted = 0;
  rejectedByCode: Record<string, number> = {};
  maxInTrailingSecond = 0;
  webhooksPosted = 0;
  readonly window = new TrailingWindow(1000);
}

/**
 * What the sandbox accepted and refused, per phone number. The trailing window here is the
 * same one the throughput cap is enforced on, so `maxInTrailingSecond` never exceeds the cap.
 */
export class Ledger {
  private entries: LedgerEntry[] = [];
  private seq = 0;
  private readonly phones = new Map<string, PhoneCounters>();
  webhookPosts = 0;
  webhookPostFailures = 0;

  constructor(private limit: number) {}

  setLimit(limit: number): void {
    this.limit = limit;
  }

  /** Sends accepted for this number in the second before `now`. */
  acceptedInLastSecond(phoneNumberId: string, now: number): number {
    return this.phone(phoneNumberId).window.count(now);
  }

  accept(entry: Omit<LedgerEntry, 'seq'>): LedgerEntry {
    const counters = this.phone(entry.phoneNumberId);
    counters.accepted++;
    const inWindow = counters.window.add(entry.acceptedAt);
    if (inWindow > counters.maxInTrailingSecond) counters.maxInTrailingSecond = inWindow;
    const full: LedgerEntry = { seq: ++this.seq, ...entry };
    this.entries.push(full);
    if (this.entries.length > this.limit * 1.1) this.entries = this.entries.slice(this.entries.length - this.limit);
    return full;
  }

  /** `code`: Meta's error code, or 'timeout' / 'http502' for injected transport faults. */
  reject(phoneNumberId: string, code: number | string): void {
    const counters = this.phone(phoneNumberId);
    counters.rejectedByCode[code] = (counters.rejectedByCode[code] ?? 0) + 1;
  }

  webhookDelivered(phoneNumberId: string, events: number): void {
    this.phone(phoneNumberId).webhooksPosted += events;
  }

  /** Entries after `sinceId` (a seq), optionally for one number, at most `limit`. */
  list(options: { phoneNumberId?: string; sinceId?: number; limit?: number } = {}): { data: LedgerEntry[]; nextSinceId: number | null } {
    const limit = Math.max(1, Math.min(options.limit ?? 1000, 100_000));
    const since = options.sinceId ?? 0;
    const data: LedgerEntry[] = [];
    let start = this.firstIndexAfter(since);
    for (; start < this.entries.length && data.length < limit; start++) {
      const entry = this.entries[start];
      if (!options.phoneNumberId || entry.phoneNumberId === options.phoneNumberId) data.push(entry);
    }
    const more = start < this.entries.length;
    // The loop only stops early when the page is full, so entries[start - 1] was the last one looked at.
    return { data, nextSinceId: more ? this.entries[start - 1].seq : null };
  }

  all(): LedgerEntry[] {
    return this.entries.slice();
  }

  /** Totals for one number, or summed over all numbers (maxInTrailingSecond: the highest of any number). */
  stats(phoneNumberId?: string): PhoneStats & { webhookPosts: number; webhookPostFailures: number } {
    const selected = phoneNumberId ? [this.phone(phoneNumberId)] : [...this.phones.values()];
    const total: PhoneStats = { accepted: 0, rejectedByCode: {}, maxInTrailingSecond: 0, webhooksPosted: 0 };
    for (const counters of selected) {
      total.accepted += counters.accepted;
      total.webhooksPosted += counters.webhooksPosted;
      total.maxInTrailingSecond = Math.max(total.maxInTrailingSecond, counters.maxInTrailingSecond);
      for (const [code, n] of Object.entries(counters.rejectedByCode)) total.rejectedByCode[code] = (total.rejectedByCode[code] ?? 0) + n;
    }
    return { ...total, webhookPosts: this.webhookPosts, webhookPostFailures: this.webhookPostFailures };
  }

  reset(): void {
    this.entries = [];
    this.phones.clear();
    this.webhookPosts = 0;
    this.webhookPostFailures = 0;
  }

  private phone(phoneNumberId: string): PhoneCounters {
    let counters = this.phones.get(phoneNumberId);
    if (!counters) {
      counters = new PhoneCounters();
      this.phones.set(phoneNumberId, counters);
    }
    return counters;
  }

  private firstIndexAfter(seq: number): number {
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.entries[mid].seq <= seq) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
