import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';

const toInt = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));

function trustProxyValue(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  return /^\d+$/.test(value) ? Number(value) : value;
}

/**
 * Every variable Clarion reads, with its default. Validated once at boot: a bad or missing
 * value stops the process with a message naming the variable. Nothing else reads process.env.
 */
export class Environment {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Matches(/^mysql:\/\/[^/]+\/[A-Za-z0-9_$]+(\?.*)?$/, { message: 'DATABASE_URL must look like mysql://user:password@host:3306/database' })
  DATABASE_URL = 'mysql://root@127.0.0.1:3306/clarion';

  @Matches(/^rediss?:\/\/.+/, { message: 'REDIS_URL must look like redis://host:6379' })
  REDIS_URL = 'redis://127.0.0.1:6379';

  /** Prefix of every Redis key Clarion writes (queues, limiters, counters); lets runs share a Redis. */
  @Matches(/^[A-Za-z0-9:_-]+$/, { message: 'REDIS_PREFIX may hold letters, digits, colon, underscore and dash' })
  REDIS_PREFIX = 'clarion';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @Transform(toInt)
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(65535)
  WORKER_PORT?: number;

  @IsUrl({ require_tld: false, require_protocol: true }, { message: 'WHATSAPP_GRAPH_URL must be a URL such as https://graph.facebook.com' })
  WHATSAPP_GRAPH_URL = 'https://graph.facebook.com';

  @Matches(/^v\d+\.\d+$/, { message: 'WHATSAPP_GRAPH_VERSION must look like v23.0' })
  WHATSAPP_GRAPH_VERSION = 'v23.0';

  /** Keep-alive connections per WhatsApp API origin (no pipelining: one request in flight per connection). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  WHATSAPP_HTTP_CONNECTIONS = 1024;

  /** A send unanswered this long counts as a transient timeout (connect, headers and body each). */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  WHATSAPP_HTTP_TIMEOUT_MS = 15_000;

  @IsOptional()
  @IsString()
  @MinLength(8)
  WHATSAPP_APP_SECRET?: string;

  @IsOptional()
  @IsString()
  WHATSAPP_VERIFY_TOKEN?: string;

  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'CLARION_ADMIN_TOKEN must be at least 16 characters' })
  CLARION_ADMIN_TOKEN?: string;

  /** With CLARION_ADMIN_PASSWORD: an admin created (or whose password and role are set again) at API boot. */
  @IsOptional()
  @IsEmail({}, { message: 'CLARION_ADMIN_EMAIL must be an email address' })
  CLARION_ADMIN_EMAIL?: string;

  @IsOptional()
  @IsString()
  @MinLength(10, { message: 'CLARION_ADMIN_PASSWORD must be at least 10 characters' })
  @MaxLength(256, { message: 'CLARION_ADMIN_PASSWORD must be at most 256 characters' })
  CLARION_ADMIN_PASSWORD?: string;

  /**
   * Express's `trust proxy`: which proxies' X-Forwarded-For/-Proto to believe (the client's
   * address for rate limits, HTTPS for the Secure cookie). `false` (default), `true`, a hop
   * count, or addresses/subnets such as `loopback, 10.0.0.0/8`.
   */
  @Transform(({ value }) => trustProxyValue(value))
  @IsOptional()
  TRUST_PROXY: boolean | number | string = false;

  /** Rate limits (counted in Redis, so they hold across API processes): failed sign-ins per email… */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  RATE_LIMIT_SIGN_IN_PER_EMAIL = 10;

  /** …failed sign-ins per client address (any email)… */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  RATE_LIMIT_SIGN_IN_PER_ADDRESS = 30;

  /** …failed authentications (unknown bearer token or session cookie) per client address… */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  RATE_LIMIT_AUTH_FAILURES_PER_ADDRESS = 100;

  /** …each counted over this window; past a limit, that email or address waits until it ends. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  RATE_LIMIT_FAILURE_WINDOW_SECONDS = 900;

  /** Requests per minute of one API token or console session. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  RATE_LIMIT_REQUESTS_PER_MINUTE = 6000;

  /** Key that encrypts senders' access tokens at rest (32 bytes, hex or base64). */
  @IsOptional()
  @Matches(/^([0-9a-fA-F]{64}|[A-Za-z0-9+/]{43}=)$/, { message: 'CLARION_ENCRYPTION_KEY must be 32 bytes as 64 hex characters or base64' })
  CLARION_ENCRYPTION_KEY?: string;

  /** Where uploaded CSV files wait for the worker (shared by API and workers on one host). */
  @IsString()
  UPLOAD_DIR = 'var/uploads';

  @Transform(toInt)
  @IsInt()
  @Min(1)
  MAX_UPLOAD_MB = 100;

  /** The rate card that prices estimates and delivered messages (default config/pricing.json). */
  @IsOptional()
  @IsString()
  PRICING_FILE?: string;

  /** Imports commit this many rows per transaction (the resume checkpoint); fewer, larger batches are faster. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(50_000)
  IMPORT_BATCH_ROWS = 10_000;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** Length of Meta's rolling messaging-limit window; shorter only for tests and demos. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  MESSAGING_WINDOW_SECONDS = 86_400;

  /** How long after a message an inbound one still counts as a reply to it. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  REPLY_WINDOW_SECONDS = 86_400;

  /** Stats: when the reconciliation job recounts active broadcasts (cron, one firing across workers). */
  @IsString()
  @Matches(/^\S+( \S+){4,5}$/, { message: 'STATS_RECONCILE_CRON must be a cron expression such as */5 * * * *' })
  STATS_RECONCILE_CRON = '*/5 * * * *';

  /** Stats: how often parked statuses (wamid not yet known) and unattributed replies are retried. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(600_000)
  STATS_SWEEP_INTERVAL_MS = 5_000;

  /** Comma-separated inbound keywords (any case) that opt a contact out / back in. */
  @IsString()
  OPT_OUT_KEYWORDS = 'STOP,UNSUBSCRIBE,STOP ALL,OPT OUT,CANCEL';

  @IsString()
  OPT_IN_KEYWORDS = 'START,SUBSCRIBE,UNSTOP';

  /** Dispatch: transient send errors are retried up to this many attempts per recipient. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  DISPATCH_MAX_ATTEMPTS = 5;

  /** Dispatch: first retry delay of a transient error (doubled per attempt, with jitter, up to 5 min). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  DISPATCH_RETRY_BASE_MS = 2_000;

  /** Dispatch: how long a recipient waits after 131056 (Meta allows about one message per 6 s per pair). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  DISPATCH_PAIR_RATE_DELAY_MS = 6_000;

  /** Dispatch: the throughput window is 1 s plus this margin (grants are restamped when answered; this only covers score rounding). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(500)
  DISPATCH_WINDOW_MARGIN_MS = 2;

  /** Dispatch: a claim's lease. Its worker renews it every quarter lease while it holds the batch; one not renewed for this long is handed back. */
  @Transform(toInt)
  @IsInt()
  @Min(1_000)
  DISPATCH_CLAIM_LEASE_MS = 10_000;

  /**
   * Frequency cap (optional, with FREQUENCY_CAP_DAYS): at most this many marketing messages per
   * contact in the rolling FREQUENCY_CAP_DAYS days, across broadcasts and sequences.
   */
  @Transform(toInt)
  @IsOptional()
  @IsInt()
  @Min(1)
  FREQUENCY_CAP_MESSAGES?: number;

  /** The frequency cap's rolling period, in days (set with FREQUENCY_CAP_MESSAGES). */
  @Transform(toInt)
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(365)
  FREQUENCY_CAP_DAYS?: number;

  /** Sequences: how often the tick looks for due steps (one firing across all workers). */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(60_000)
  SEQUENCE_TICK_MS = 1_000;

  /** Outbound webhooks: a delivery unanswered this long counts as failed (and is retried). */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(60_000)
  WEBHOOK_TIMEOUT_MS = 10_000;

  /** Outbound webhooks: first retry delay, doubled per attempt up to WEBHOOK_RETRY_MAX_DELAY_MS. */
  @Transform(toInt)
  @IsInt()
  @Min(10)
  WEBHOOK_RETRY_BASE_MS = 10_000;

  @Transform(toInt)
  @IsInt()
  @Min(10)
  WEBHOOK_RETRY_MAX_DELAY_MS = 3_600_000;

  /** Outbound webhooks: a failing delivery is retried until its delays add up to this (24 h). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  WEBHOOK_RETRY_WINDOW_SECONDS = 86_400;

  /** Outbound webhooks: an endpoint whose deliveries have failed, none succeeding, this long (3 days) is disabled. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  WEBHOOK_DISABLE_AFTER_SECONDS = 259_200;

  /** Outbound webhooks: how often each worker moves outbox rows to the delivery queue. */
  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(60_000)
  WEBHOOK_RELAY_INTERVAL_MS = 500;

  /**
   * Outbound webhooks: a delivery handed to the queue this long ago (and again after each check) is
   * looked up in Redis; one Redis no longer holds (it restarted empty) is queued again, same event id.
   */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  WEBHOOK_IN_FLIGHT_CHECK_MS = 60_000;

  /** Analysts read contacts; the bulk export of their phones (`GET /v1/contacts/export.csv`) only when this is true. */
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'ANALYST_CONTACT_EXPORT must be true or false' })
  ANALYST_CONTACT_EXPORT = false;

  /** Outbound webhooks: in production, endpoints on private or loopback addresses are refused unless this is true. */
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'WEBHOOK_ALLOW_PRIVATE_NETWORKS must be true or false' })
  WEBHOOK_ALLOW_PRIVATE_NETWORKS = false;

  /** Outbound webhooks: delivery log rows are kept this many days. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  WEBHOOK_DELIVERY_RETENTION_DAYS = 30;

  /** Audit log rows are kept this many days (the worker prunes older ones hourly). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  AUDIT_RETENTION_DAYS = 400;
}

/** The kind of Clarion process being started: what it cannot run without differs. */
export type ProcessRole = 'api' | 'worker';
const ROLES: readonly ProcessRole[] = ['api', 'worker'];

/**
 * In production nothing runs on a built-in stand-in: outside it, a fixed development key
 * encrypts senders' access tokens and the sandbox's well-known secret signs webhooks on loopback.
 */
const PRODUCTION_REQUIRED: ReadonlyArray<{ name: keyof Environment; roles: readonly ProcessRole[]; why: string }> = [
  {
    name: 'CLARION_ENCRYPTION_KEY',
    roles: ROLES,
    why: "32 random bytes, e.g. `openssl rand -hex 32`; it encrypts senders' access tokens",
  },
  { name: 'WHATSAPP_APP_SECRET', roles: ['api'], why: "your Meta app's secret; it verifies the signature of every webhook" },
];

/**
 * The validated environment. `role` adds what that process needs in production; without one,
 * the requirements of every role apply only where they are common (the encryption key).
 */
export function validateEnvironment(raw: Record<string, unknown>, role?: ProcessRole): Environment {
  const known = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined && v !== ''));
  const env = plainToInstance(Environment, known, { exposeDefaultValues: true });
  const errors = validateSync(env, { skipMissingProperties: false, whitelist: false });
  const lines = errors.map((e) => `  ${e.property}: ${Object.values(e.constraints ?? {}).join('; ')}`);
  if (env.NODE_ENV === 'production') {
    for (const required of PRODUCTION_REQUIRED) {
      const applies = role ? required.roles.includes(role) : ROLES.every((r) => required.roles.includes(r));
      if (applies && !env[required.name]) lines.push(`  ${required.name}: required when NODE_ENV=production (${required.why})`);
    }
  }
  if (Boolean(env.CLARION_ADMIN_EMAIL) !== Boolean(env.CLARION_ADMIN_PASSWORD)) {
    lines.push('  CLARION_ADMIN_EMAIL and CLARION_ADMIN_PASSWORD: set both (the bootstrap admin) or neither');
  }
  if ((env.FREQUENCY_CAP_MESSAGES === undefined) !== (env.FREQUENCY_CAP_DAYS === undefined)) {
    lines.push('  FREQUENCY_CAP_MESSAGES and FREQUENCY_CAP_DAYS: set both (at most N marketing messages per contact in D days) or neither');
  }
  if (lines.length > 0) throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  return env;
}
