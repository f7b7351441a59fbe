import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export interface PriceTable {
  currency: string;
  default: Record<string, number>;
  countries: Record<string, Record<string, number>>;
}

const FALLBACK: PriceTable = { currency: 'USD', default: {}, countries: {} };

/** config/pricing.json (example figures: see its note), read once; an absent file gives no estimate. */
export function loadPriceTable(path = resolve(process.cwd(), 'config/pricing.json')): PriceTable {
  try {
    const raw = JSON.parse(readFileSync(path, 'utf8')) as Partial<PriceTable>;
    return { currency: raw.currency ?? 'USD', default: raw.default ?? {}, countries: raw.countries ?? {} };
  } catch {
    return FALLBACK;
  }
}

/** Price of one message to `country` in `category`, or 0 when the table has none. */
export function priceOf(table: PriceTable, country: string | null, category: string): number {
  const row = (country && table.countries[country.toUpperCase()]) || table.default;
  return row[category] ?? table.default[category] ?? 0;
}

/** Σ recipients(country) × price(country, category). */
export function estimateCost(table: PriceTable, byCountry: Map<string | null, number>, category: string): number {
  let total = 0;
  for (const [country, n] of byCountry) total += n * priceOf(table, country, category);
  return Math.round(total * 10_000) / 10_000;
}
