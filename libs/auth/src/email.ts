/** Emails compare case-insensitively: they are stored, looked up and counted lower-cased. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}
