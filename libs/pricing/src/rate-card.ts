import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * A rate card: the price of one delivered template message by category, for recipients in a
 * country, with a default for countries not listed. WhatsApp's webhooks say what is billable and
 * in which category, never the amount, so estimates and delivered costs both come from here.
 */
export interface RateCard {
  currency: string;
  /** The day these rates were taken from Meta's rate card (YYYY-MM-DD), when the file says. */
  ratesDate: string | null;
  /** Category (lower case) → price, for countries not listed. */
  default: Record<string, number>;
  /** Country (ISO 3166 alpha-2, upper case) → category (lower case) → price. */
  countries: Record<string, Record<string, number>>;
}

export class RateCardError extends Error {}

/** The default rate card's place, relative to the working directory. */
const DEFAULT_FILE = 'config/pricing.json';

/**
 * Reads `PRICING_FILE` (or config/pricing.json). A file that is set but unreadable or wrong is a
 * RateCardError naming it, so that boot stops with that message; without the default file, every
 * price is 0 (and `logger` hears why).
 */
export function readRateCard(file: string | undefined, logger?: { warn(message: string): void }): RateCard {
  const path = resolve(process.cwd(), file ?? DEFAULT_FILE);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (file) throw new RateCardError(`PRICING_FILE ${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    logger?.warn(`${path} is missing: costs and estimates are 0 (set PRICING_FILE to a rate card)`);
    return { currency: 'USD', ratesDate: null, default: {}, countries: {} };
  }
  try {
    return parseRateCard(JSON.parse(text));
  } catch (error) {
    throw new RateCardError(`${file ? 'PRICING_FILE ' : ''}${path}: ${(error as Error).message}`);
  }
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const CURRENCY = /^[A-Z]{3}$/;
const COUNTRY = /^[A-Z]{2}$/;

/** Checks a parsed pricing file; an error names the field, so a typo never becomes a silent zero. */
export function parseRateCard(raw: unknown): RateCard {
  if (!isObject(raw)) throw new RateCardError('must be a JSON object { currency, ratesDate, default, countries }');
  const currency = raw.currency ?? 'USD';
  if (typeof currency !== 'string' || !CURRENCY.test(currency)) throw new RateCardError('currency must be an ISO 4217 code such as "USD"');
  const ratesDate = raw.ratesDate ?? null;
  if (ratesDate !== null && (typeof ratesDate !== 'string' || !DATE.test(ratesDate))) {
    throw new RateCardError('ratesDate must be a date "YYYY-MM-DD"');
  }
  const countries: Record<string, Record<string, number>> = {};
  const listed = raw.countries ?? {};
  if (!isObject(listed)) throw new RateCardError('countries must be an object of country → prices');
  for (const [country, prices] of Object.entries(listed)) {
    const code = country.toUpperCase();
    if (!COUNTRY.test(code)) throw new RateCardError(`countries.${country} must be an ISO 3166 alpha-2 country code`);
    countries[code] = pricesOf(prices, `countries.${country}`);
  }
  return { currency, ratesDate, default: pricesOf(raw.default ?? {}, 'default'), countries };
}

function pricesOf(value: unknown, field: string): Record<string, number> {
  if (!isObject(value)) throw new RateCardError(`${field} must be an object of category → price`);
  const prices: Record<string, number> = {};
  for (const [category, price] of Object.entries(value)) {
    if (typeof price !== 'number' || !Number.isFinite(price) || price < 0) {
      throw new RateCardError(`${field}.${category} must be a price (a number ≥ 0)`);
    }
    prices[category.toLowerCase()] = price;
  }
  return prices;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
