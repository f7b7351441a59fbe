import { Injectable } from '@nestjs/common';
import { BroadcastAudienceReader } from '../audience/broadcast-audience-reader';
import type { BroadcastAudience } from '../audience/retarget-audience';
import { PriceTable } from '@clarion/pricing';

const CHUNK = 10_000;
/** Beyond this many contacts the estimate extrapolates from the ones read (create stays fast at 1M). */
const SAMPLE_LIMIT = 200_000;

/** Cost estimate on create: eligible (not opted-out) recipients by country × the price table by category. */
@Injectable()
export class CostEstimator {
  async estimate(audience: BroadcastAudience, category: string, total: number): Promise<number> {
    const byCountry = new Map<string | null, number>();
    let read = 0;
    let cursor = 0;
    while (read < SAMPLE_LIMIT) {
      const chunk = await this.reader.readChunk(audience, cursor, CHUNK);
      if (chunk.length === 0) break;
      for (const c of chunk) if (!c.optedOut) byCountry.set(c.country, (byCountry.get(c.country) ?? 0) + 1);
      read += chunk.length;
      cursor = chunk[chunk.length - 1].id;
    }
    const cost = this.table.estimate(byCountry, category);
    return read > 0 && total > read ? Math.round((cost * total * 10_000) / read) / 10_000 : cost;
  }

  constructor(
    private readonly reader: BroadcastAudienceReader,
    readonly table: PriceTable,
  ) {}
}
