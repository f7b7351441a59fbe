import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Environment } from '@clarion/config';
import { RateCard, readRateCard } from './rate-card';

/** The category a message is priced in when nobody says (a broadcast's template always does). */
const DEFAULT_CATEGORY = 'marketing';

/**
 * The one price table of the installation: `PRICING_FILE` (default `config/pricing.json`), read
 * once at boot. Broadcast estimates and the cost of delivered messages both read it.
 */
@Injectable()
export class PriceTable {
  private readonly logger = new Logger(PriceTable.name);
  readonly card: RateCard;

  constructor(config: ConfigService<Environment, true>) {
    this.card = readRateCard(config.get('PRICING_FILE', { infer: true }), this.logger);
  }

  get currency(): string {
    return this.card.currency;
  }

  /** Price of one billable message of `category` to a recipient in `country`; 0 if the table has none. */
  priceOf = (category: string | undefined, country: string | null): number => {
    const key = (category ?? DEFAULT_CATEGORY).toLowerCase();
    const row = country ? this.card.countries[country.toUpperCase()] : undefined;
    return row?.[key] ?? this.card.default[key] ?? 0;
  };

  /** Σ recipients(country) × price(country, category), to 1/10,000 of the currency. */
  estimate(byCountry: Map<string | null, number>, category: string): number {
    let total = 0;
    for (const [country, n] of byCountry) total += n * this.priceOf(category, country);
    return Math.round(total * 10_000) / 10_000;
  }
}
