const SKIP_LABELS: Record<string, string> = {
  opted_out: 'opted out',
  invalid_number: 'invalid number',
  duplicate: 'duplicate phone',
  missing_variable: 'missing a variable',
  invalid_parameter: 'refused parameter',
  frequency_capped: 'frequency capped',
};

/** "opted_out" → "opted out". */
export function skipLabel(reason: string): string {
  return SKIP_LABELS[reason] ?? reason.replace(/_/g, ' ');
}
