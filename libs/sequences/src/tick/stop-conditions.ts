import type { AudienceContact } from '@clarion/contacts';
import type { StopReason } from '../entities/sequence-enrollment.entity';
import type { StopWhen } from '../entities/sequence.entity';

export interface StopRules {
  stopOnReply: boolean;
  stopWhen: StopWhen | null;
}

/**
 * Why a run must end before its next step, or null to go on. Checked in this order: the contact
 * is gone, opted out (never messaged, whatever the sequence says), wrote back since enrolling
 * (when the sequence stops on reply), or its attribute took the stop value (compared as text,
 * ignoring case and surrounding spaces).
 */
export function stopReasonFor(contact: AudienceContact | undefined, repliedSinceEnrolment: boolean, rules: StopRules): StopReason | null {
  if (!contact) return 'contact_deleted';
  if (contact.optedOut) return 'opted_out';
  if (rules.stopOnReply && repliedSinceEnrolment) return 'replied';
  if (rules.stopWhen) {
    const value = contact.attributes?.[rules.stopWhen.attribute];
    if (value !== undefined && value !== null && normalise(value) === normalise(rules.stopWhen.equals)) return 'attribute';
  }
  return null;
}

function normalise(value: unknown): string {
  return String(value).trim().toLowerCase();
}
