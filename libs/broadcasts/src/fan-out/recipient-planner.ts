import { isValidPhoneNumber } from 'libphonenumber-js';
import type { AudienceContact } from '@clarion/contacts';
import type { MessageRenderer } from '@clarion/templates';
import type { NewRecipient } from '../repositories/recipients.repository';
import type { SkipReason } from './skip-reasons';

/** What a recipient would get: its rendered components, or why it is skipped (with the renderer's detail). */
export interface PlannedRecipient extends NewRecipient {
  detail: string | null;
}

/** Per-recipient timing of a broadcast whose recipients' clocks matter: their zone and their due time. */
export interface RecipientTiming {
  zoneOf(contact: AudienceContact): string;
  /** When a recipient of that zone is due; null: at once. */
  dueAt(zone: string): Date | null;
}

/**
 * Turns audience contacts into ledger rows, deciding every skip before any send:
 * opted out, invalid number, duplicate phone, then the renderer's missing variable /
 * refused parameter.
 */
export class RecipientPlanner {
  constructor(
    private readonly renderer: MessageRenderer,
    private readonly dedupePhones: boolean,
    private readonly timing: RecipientTiming | null = null,
  ) {}

  /** `seenPhones` holds phones already in the broadcast; planned ones are added to it. */
  plan(items: Array<{ contact: AudienceContact; enrollmentId: number }>, seenPhones: Set<string>): PlannedRecipient[] {
    return items.map(({ contact, enrollmentId }) => {
      const base = { contactId: contact.id, enrollmentId, phone: contact.phone, country: contact.country };
      const skip = (reason: SkipReason, detail: string | null = null): PlannedRecipient => ({
        ...base,
        params: null,
        skipReason: reason,
        detail,
      });
      if (contact.optedOut) return skip('opted_out');
      if (!isValidPhoneNumber(contact.phone)) return skip('invalid_number');
      if (this.dedupePhones) {
        if (seenPhones.has(contact.phone)) return skip('duplicate');
        seenPhones.add(contact.phone);
      }
      const rendered = this.renderer.render(contact);
      if (!rendered.ok) return skip(rendered.reason, rendered.message);
      if (!this.timing) return { ...base, params: rendered.components, skipReason: null, detail: null };
      const timeZone = this.timing.zoneOf(contact);
      return { ...base, params: rendered.components, skipReason: null, detail: null, timeZone, notBefore: this.timing.dueAt(timeZone) };
    });
  }
}
