import { isValidPhoneNumber } from 'libphonenumber-js';
import type { AudienceContact } from '@clarion/contacts';
import type { MessageRenderer } from '@clarion/templates';
import type { NewRecipient } from '../repositories/recipients.repository';
import type { SkipReason } from './skip-reasons';

/** What a recipient would get: its rendered components, or why it is skipped (with the renderer's detail). */
export interface PlannedRecipient extends NewRecipient {
  detail: string | null;
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
      return { ...base, params: rendered.components, skipReason: null, detail: null };
    });
  }
}
