import type { SenderApi } from './sender.entity';

export type SenderConnection = 'single' | 'multi';

/**
 * Default send caps (messages per second): the Cloud API's 500 is Clarion's default for a
 * Cloud number; the On-Premises API tops out at 70 msg/s single-connect and 250 msg/s
 * multi-connect (Meta's published figures). Any positive value may be set instead.
 */
export function defaultThroughput(api: SenderApi, connection: SenderConnection): number {
  if (api === 'cloud') return 500;
  return connection === 'multi' ? 250 : 70;
}

/**
 * `messaging_limit_tier` from the Graph API → unique recipients per rolling 24 h
 * (null = unlimited). TIER_50 is the old unverified-business tier.
 */
export const TIER_LIMITS: Record<string, number | null> = {
  TIER_50: 50,
  TIER_250: 250,
  TIER_1K: 1000,
  TIER_2K: 2000,
  TIER_10K: 10_000,
  TIER_100K: 100_000,
  TIER_UNLIMITED: null,
};

/**
 * `throughput.level` → messages per second: STANDARD numbers get 80 msg/s; HIGH (automatic
 * upgrade for unlimited-tier numbers with good quality) up to 1,000 msg/s.
 */
export const THROUGHPUT_LEVELS: Record<string, number> = {
  STANDARD: 80,
  HIGH: 1000,
};

/**
 * A sender created without `messagingLimit` gets the limit Meta gives a new business portfolio
 * (250 unique recipients in 24 h): sending above the real limit only earns refusals. `sync` then
 * reads the portfolio's actual limit, or the operator sets it.
 */
export const NEW_PORTFOLIO_MESSAGING_LIMIT = 250;

/** The API's spelling of a messaging limit: a number or "unlimited" (null in the database). */
export type MessagingLimit = number | 'unlimited';

export function limitToColumn(limit: MessagingLimit | undefined): number | null | undefined {
  if (limit === undefined) return undefined;
  return limit === 'unlimited' ? null : limit;
}

export function limitFromColumn(value: number | null): MessagingLimit {
  return value === null ? 'unlimited' : value;
}
