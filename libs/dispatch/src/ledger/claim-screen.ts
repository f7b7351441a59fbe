import { Injectable } from '@nestjs/common';
import { FrequencyCappedClaims } from './frequency-capped-claims';
import { QuietHoursClaims } from './quiet-hours-claims';
import type { Claim } from './recipient-claims';

/**
 * What is checked of a claimed batch before it is sent, each rule in its own module: recipients
 * inside their quiet hours are held until those end, then recipients over the workspace's
 * frequency cap are skipped (a held one is checked when it comes back). Returns the claim with
 * only the recipients still to send now.
 */
@Injectable()
export class ClaimScreen {
  constructor(
    private readonly quietHours: QuietHoursClaims,
    private readonly frequencyCap: FrequencyCappedClaims,
  ) {}

  async screen(claim: Claim): Promise<Claim> {
    if (claim.recipients.length === 0) return claim;
    const held = await this.quietHours.holdQuiet(claim);
    const rest = held.size ? { ...claim, recipients: claim.recipients.filter((r) => !held.has(r.id)) } : claim;
    if (rest.recipients.length === 0) return rest;
    const capped = await this.frequencyCap.skipOverCap(rest);
    if (capped.size === 0) return rest;
    return { ...rest, recipients: rest.recipients.filter((r) => !capped.has(r.id)) };
  }
}
