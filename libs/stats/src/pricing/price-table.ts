import { Injectable, Logger } from '@nestjs/common';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * Prices per message category (USD), by recipient country with a default. WhatsApp's webhooks
 * say what is billable and in which category, never the amount, so the amount comes from here.
 * Figures are Meta's published marketing/utility/authentication rates (rounded) for a few markets;
 * `config/pricing.json` of the same shape (the broadcast engine's estimate table; category keys in
 * any case) replaces them.
 */
export interface PriceFile {
  currency?: string;
  default: Record<string, number>;
  countries?: Record<string, Record<string, number>>;
}

export const DEFAULT_PRICES: PriceFile = {
  currency: 'USD',
  default: {
    marketing: 0.0625,
    utility: 0.008,
    authentication: 0.0077,
    authentication_international: 0.0077,
    service: 0,
    referral_conversion: 0,
  },
  countries: {
    IN: { marketing: 0.0107, utility: 0.0014, authentication: 0.0014 },
    BR: { marketing: 0.0625, utility: 0.008, authentication: 0.0315 },
    US: { marketing: 0.025, utility: 0.004, authentication: 0.0135 },
    GB: { marketing: 0.0529, utility: 0.022, authentication: 0.0358 },
    DE: { marketing: 0.1365, utility: 0.055, authentication: 0.0768 },
    ID: { marketing: 0.0411, utility: 0.02, authentication: 0.03 },
    MX: { marketing: 0.0436, utility: 0.01, authentication: 0.0239 },
  },
};

@Injectable()
export class PriceTable {
  private readonly logger = new Logger(PriceTable.name);
  private readonly prices: PriceFile;

  constructor() {
    this.prices = PriceTable.load(resolve(process.cwd(), 'config/pricing.json'), this.logger);
  }

  get currency(): string {
    return this.prices.currency ?? 'USD';
  }

  /** Price of one billable message of `category` to a recipient in `country`; 0 if unknown. */
  priceOf = (category: string | undefined, country: string | null): number => {
    const key = (category ?? 'marketing').toLowerCase();
    const byCountry = country ? this.prices.countries?.[country.toUpperCase()] : undefined;
    return byCountry?.[key] ?? this.prices.default[key] ?? 0;
  };

  static load(path: string, logger?: Logger): PriceFile {
    if (!existsSync(path)) return DEFAULT_PRICES;
    try {
      const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<PriceFile>;
      if (parsed && typeof parsed.default === 'object') {
        return {
          currency: parsed.currency ?? DEFAULT_PRICES.currency,
          default: lowerKeys(parsed.default),
          countries: Object.fromEntries(Object.entries(parsed.countries ?? {}).map(([c, m]) => [c.toUpperCase(), lowerKeys(m)])),
        };
      }
      logger?.warn(`${path} has no "default" price map; using built-in prices`);
    } catch (err) {
      logger?.warn(`${path} is not valid JSON (${(err as Error).message}); using built-in prices`);
    }
    return DEFAULT_PRICES;
  }
}

function lowerKeys(prices: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(prices).map(([k, v]) => [k.toLowerCase(), Number(v)]));
}
