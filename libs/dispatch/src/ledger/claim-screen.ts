import { Injectable } from '@nestjs/common';
import { FrequencyCappedClaims } from './frequency-capped-claims';
import type { Claim } from './recipient-claims';

/**
 * What is checked of a claimed batch before it is sent, each rule in its own module: recipients
 * over the workspace's frequency cap are skipped. Returns the claim with only the recipients
 * still to send now.
 */
@Injectable()
export class ClaimScreen {
  constructor(private readonly frequencyCap: FrequencyCappedClaims) {}

  async screen(claim: Claim): Promise<Claim> {
    if (claim.recipients.length === 0) return claim;
    const capped = await this.frequencyCap.skipOverCap(claim);
    if (capped.size === 0) return claim;
    return { ...claim, recipients: claim.recipients.filter((r) => !capped.has(r.id)) };
  }
}
