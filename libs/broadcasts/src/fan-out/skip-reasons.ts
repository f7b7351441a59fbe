/** Why a recipient was not sent: machine code stored in `skip_reason`, with the message people read. */
export const SKIP_REASONS = {
  opted_out: 'the contact opted out of messages',
  invalid_number: 'the phone number is not a valid mobile number',
  duplicate: 'another recipient of this broadcast has the same phone number',
  missing_variable: 'a template variable has no value for this contact and no fallback',
  invalid_parameter: 'a variable value contains a newline, a tab or more than 4 spaces in a row, which WhatsApp refuses',
  frequency_cap: 'WhatsApp refused: marketing frequency cap for this user (131049)',
  unenrolled: 'the contact was unenrolled from the sequence before this step went out',
} as const;
export type SkipReason = keyof typeof SKIP_REASONS;

export function skipMessage(reason: string | null): string | null {
  return reason === null ? null : ((SKIP_REASONS as Record<string, string>)[reason] ?? reason);
}
