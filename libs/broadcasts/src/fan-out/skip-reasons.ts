/** Why a recipient was not sent: machine code stored in `skip_reason`, with the message people read. */
export const SKIP_REASONS = {
  opted_out: 'the contact opted out of messages',
  invalid_number: 'the phone number is not a valid mobile number',
  duplicate: 'another recipient of this broadcast has the same phone number',
  missing_variable: 'a template variable has no value for this contact and no fallback',
  invalid_parameter: 'a variable value contains a newline, a tab or more than 4 spaces in a row, which WhatsApp refuses',
  invalid_media_url: 'the header media URL is not https or not a file type the header takes',
  frequency_capped:
    "the contact already got the workspace's most marketing messages for the rolling period (FREQUENCY_CAP_MESSAGES in FREQUENCY_CAP_DAYS days)",
  frequency_cap: 'WhatsApp refused: marketing frequency cap for this user (131049)',
  unenrolled: 'the contact was unenrolled from the sequence before this step went out',
} as const;
export type SkipReason = keyof typeof SKIP_REASONS;

export function skipMessage(reason: string | null): string | null {
  return reason === null ? null : ((SKIP_REASONS as Record<string, string>)[reason] ?? reason);
}
