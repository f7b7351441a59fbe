import { SANDBOX_APP_SECRET } from '@clarion/whatsapp';

/**
 * Everything the sandbox can be told. `configure(partial)` (or POST /_sandbox/config) replaces
 * top-level keys, except the nested groups `statuses`, `faults`, `webhook`, `templateReview` and `pairRate`, which
 * are merged one level deep (so `{ faults: { latencyMs: 50 } }` keeps the other fault settings).
 */
export interface SandboxPhoneNumber {
  displayPhoneNumber?: string;
  verifiedName?: string;
  /** GREEN | YELLOW | RED | UNKNOWN */
  qualityRating?: string;
  /** The deprecated per-number `messaging_limit_tier` (TIER_250 | TIER_1K | TIER_10K | TIER_100K | TIER_UNLIMITED); absent: TIER_100K. */
  messagingLimitTier?: string;
  /** `whatsapp_business_manager_messaging_limit`, the portfolio's limit (TIER_250 | TIER_2K | TIER_10K | TIER_100K | TIER_UNLIMITED); absent: messagingLimitTier; null: not answered (an older Graph API). */
  portfolioMessagingLimit?: string | null;
  /** The WABA the number belongs to (webhook `entry[].id`, templates). */
  wabaId?: string;
  /** Throughput cap of this number in messages per second (trailing one-second window). */
  mps?: number;
}

/** A template in Meta's format (as `GET /{waba-id}/message_templates` returns it). */
export interface SandboxTemplate {
  name: string;
  language: string;
  category: 'MARKETING' | 'UTILITY' | 'AUTHENTICATION';
  status?: 'APPROVED' | 'PENDING' | 'REJECTED' | 'PAUSED' | 'DISABLED';
  parameter_format?: 'POSITIONAL' | 'NAMED';
  components: Array<{ type: string; format?: string; text?: string; buttons?: Array<Record<string, unknown>>; [key: string]: unknown }>;
}

export interface SandboxStatusOptions {
  /** Delay after acceptance of each status (ms). */
  sentDelayMs: number;
  deliveredDelayMs: number;
  readDelayMs: number;
  /** Random extra delay (0…jitterMs) added to each status. */
  jitterMs: number;
  deliveredProbability: number;
  /** Probability of `read` for a delivered message. */
  readProbability: number;
  /** Post the `sent` status (awaited) before answering the send's HTTP request. */
  earlyWebhook: boolean;
  /** Probability that a status is posted twice (second copy later). */
  duplicateProbability: number;
  /** Post each message's statuses in reverse order (read, delivered, sent) and shuffle each batch. */
  reorder: boolean;
}

export interface SandboxWebhookOptions {
  /** Where statuses go; null turns webhooks off. */
  url: string | null;
  appSecret: string;
  /** Most statuses/messages in one POST (Meta batches several in entry[].changes[].value). */
  maxBatch: number;
  /** How long a partial batch may wait before it is posted. */
  flushIntervalMs: number;
  /** Further attempts after a failed POST (non-2xx or connection error). */
  retries: number;
  retryDelayMs: number;
  /** POSTs in flight at once. */
  concurrency: number;
}

export interface SandboxFaults {
  /** Probability per error code of refusing a send with it, e.g. `{ "131000": 0.05, "130429": 0.1 }`. */
  errorRates: Record<string, number>;
  /** Probability of an HTTP 502 whose body is not a Graph error. */
  serverErrorRate: number;
  /** Probability of never answering (the connection stays open until the client gives up). */
  timeoutRate: number;
  /** Added latency before each answer to a send: latencyMs + random(0…latencyJitterMs). */
  latencyMs: number;
  latencyJitterMs: number;
}

/** Meta's review of submitted templates (`POST /{waba-id}/message_templates`). */
export interface SandboxTemplateReviewOptions {
  /** How long after a submission its APPROVED (or REJECTED) webhook is posted. */
  delayMs: number;
  /** Submissions whose name starts with this are REJECTED. */
  rejectPrefix: string;
}

export interface SandboxConfig {
  /** Bearer tokens the Cloud API accepts; null accepts any non-empty token. Others get 190 (HTTP 401). */
  accessTokens: string[] | null;
  /** On-Premises users: username → password for POST /v1/users/login. */
  onPremUsers: Record<string, string>;
  onPremTokenTtlSeconds: number;
  /** Throughput cap for numbers without their own `mps`. */
  defaultMps: number;
  /** Known phone numbers by phone-number-id; unknown ids are served with defaults. */
  phoneNumbers: Record<string, SandboxPhoneNumber>;
  /** HTTP status of a 130429 answer: Meta uses 400 and 429 alike. */
  throttleHttpStatus: 400 | 429;
  /** Pair rate limit (131056): more than `maxMessages` to one recipient within `windowMs`; null = off. */
  pairRate: { maxMessages: number; windowMs: number } | null;
  /** Template registry checked on every send (132001 unknown name/language, 132000 parameters); null = no checks. */
  templates: SandboxTemplate[] | null;
  templatesPageSize: number;
  templateReview: SandboxTemplateReviewOptions;
  statuses: SandboxStatusOptions;
  webhook: SandboxWebhookOptions;
  faults: SandboxFaults;
  /** Recipient → error code: accepted, then reported `failed` with this code by webhook. */
  failNumbers: Record<string, number>;
  /** Recipient → error code: refused at once (synchronous error answer). */
  rejectNumbers: Record<string, number>;
  /** Recipient → text: the recipient answers (inbound text with context.id) after reading. */
  replyNumbers: Record<string, string>;
  /** Recipients that answer "STOP" after reading. */
  stopNumbers: string[];
  /** Recipients whose messages are delivered and never read (whatever `statuses.readProbability` says). */
  unreadNumbers: string[];
  /** Probability that any other reader replies with `replyText`. */
  replyProbability: number;
  replyText: string;
  /** Delay of a reply after the read status. */
  replyDelayMs: number;
  /** Most ledger entries kept (oldest dropped first). */
  ledgerLimit: number;
}

export type SandboxConfigPatch = Partial<Omit<SandboxConfig, 'statuses' | 'webhook' | 'faults' | 'pairRate' | 'templateReview'>> & {
  statuses?: Partial<SandboxStatusOptions>;
  templateReview?: Partial<SandboxTemplateReviewOptions>;
  webhook?: Partial<SandboxWebhookOptions>;
  faults?: Partial<SandboxFaults>;
  pairRate?: Partial<{ maxMessages: number; windowMs: number }> | null;
};

/** A demo template set: positional, named, media header with buttons, no parameters. */
export const DEMO_TEMPLATES: SandboxTemplate[] = [
  { name: 'hello_world', language: 'en_US', category: 'UTILITY', components: [{ type: 'BODY', text: 'Hello World' }] },
  {
    name: 'order_update',
    language: 'en_US',
    category: 'UTILITY',
    components: [
      { type: 'BODY', text: 'Hi {{1}}, your order {{2}} has shipped.' },
      { type: 'FOOTER', text: 'Clarion demo' },
    ],
  },
  {
    name: 'order_confirmation',
    language: 'en_US',
    category: 'UTILITY',
    parameter_format: 'NAMED',
    components: [{ type: 'BODY', text: 'Thank you, {{first_name}}! Your order number is {{order_number}}.' }],
  },
  {
    name: 'spring_sale',
    language: 'en_US',
    category: 'MARKETING',
    components: [
      { type: 'HEADER', format: 'IMAGE' },
      { type: 'BODY', text: 'Hi {{1}}, enjoy {{2}} off everything this week!' },
      { type: 'FOOTER', text: 'Reply STOP to opt out' },
      {
        type: 'BUTTONS',
        buttons: [
          { type: 'QUICK_REPLY', text: 'Shop now' },
          { type: 'QUICK_REPLY', text: 'Stop promotions' },
        ],
      },
    ],
  },
];

export function defaultSandboxConfig(): SandboxConfig {
  return {
    accessTokens: null,
    onPremUsers: { admin: 'sandbox-password' },
    onPremTokenTtlSeconds: 7 * 24 * 3600,
    defaultMps: 1000,
    phoneNumbers: {},
    throttleHttpStatus: 400,
    pairRate: { maxMessages: 30, windowMs: 60_000 },
    templates: DEMO_TEMPLATES,
    templatesPageSize: 25,
    templateReview: { delayMs: 2000, rejectPrefix: 'reject_' },
    statuses: {
      sentDelayMs: 50,
      deliveredDelayMs: 300,
      readDelayMs: 1500,
      jitterMs: 50,
      deliveredProbability: 0.97,
      readProbability: 0.6,
      earlyWebhook: false,
      duplicateProbability: 0,
      reorder: false,
    },
    webhook: {
      url: 'http://127.0.0.1:3000/webhooks/whatsapp',
      appSecret: SANDBOX_APP_SECRET,
      maxBatch: 50,
      flushIntervalMs: 100,
      retries: 3,
      retryDelayMs: 500,
      concurrency: 8,
    },
    faults: { errorRates: {}, serverErrorRate: 0, timeoutRate: 0, latencyMs: 0, latencyJitterMs: 0 },
    failNumbers: {},
    rejectNumbers: {},
    replyNumbers: {},
    stopNumbers: [],
    unreadNumbers: [],
    replyProbability: 0,
    replyText: 'Thanks!',
    replyDelayMs: 500,
    ledgerLimit: 200_000,
  };
}

const NESTED = ['statuses', 'webhook', 'faults', 'templateReview'] as const;

/** `base` with `patch` applied (see SandboxConfig for the merge rule). Does not modify `base`. */
export function mergeSandboxConfig(base: SandboxConfig, patch: SandboxConfigPatch): SandboxConfig {
  const next = { ...base } as SandboxConfig;
  for (const [key, value] of Object.entries(patch) as Array<[keyof SandboxConfig, unknown]>) {
    if (value === undefined) continue;
    if ((NESTED as readonly string[]).includes(key)) {
      (next as unknown as Record<string, unknown>)[key] = { ...(base[key] as object), ...(value as object) };
    } else if (key === 'pairRate') {
      next.pairRate = value === null ? null : { ...(base.pairRate ?? { maxMessages: 30, windowMs: 60_000 }), ...(value as object) };
    } else {
      (next as unknown as Record<string, unknown>)[key] = value;
    }
  }
  return next;
}
