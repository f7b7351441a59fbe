import { Pool } from 'undici';

/** Sizing and timeouts of the connection pools; the defaults suit ≥ 3,000 msg/s against Meta. */
export interface HttpPoolOptions {
  /**
   * Keep-alive connections per origin. Meta answers a send in ~100–400 ms, so 3,000 msg/s needs
   * ~1,000 requests in flight; without pipelining that is one connection each.
   */
  connections?: number;
  connectTimeoutMs?: number;
  /** Time to the response headers; a send stuck longer counts as a transient timeout. */
  headersTimeoutMs?: number;
  bodyTimeoutMs?: number;
  keepAliveTimeoutMs?: number;
}

export const DEFAULT_HTTP_POOL_OPTIONS: Required<HttpPoolOptions> = {
  connections: 1024,
  connectTimeoutMs: 5_000,
  headersTimeoutMs: 15_000,
  bodyTimeoutMs: 15_000,
  keepAliveTimeoutMs: 30_000,
};

/**
 * One undici keep-alive Pool per origin, created on first use and reused for every request, so no
 * send pays for DNS or a TLS handshake. Pipelining stays at 1: sends are not idempotent, and a
 * connection reset with pipelined POSTs in flight leaves unknown which of them Meta took.
 */
export class HttpPools {
  private readonly pools = new Map<string, Pool>();
  private readonly options: Required<HttpPoolOptions>;

  constructor(options: HttpPoolOptions = {}) {
    this.options = { ...DEFAULT_HTTP_POOL_OPTIONS, ...stripUndefined(options) };
  }

  /** The pool for an origin such as `https://graph.facebook.com`. */
  for(origin: string): Pool {
    let pool = this.pools.get(origin);
    if (!pool) {
      pool = new Pool(origin, {
        connections: this.options.connections,
        pipelining: 1,
        connect: { timeout: this.options.connectTimeoutMs },
        headersTimeout: this.options.headersTimeoutMs,
        bodyTimeout: this.options.bodyTimeoutMs,
        keepAliveTimeout: this.options.keepAliveTimeoutMs,
        keepAliveMaxTimeout: Math.max(this.options.keepAliveTimeoutMs, 600_000),
      });
      this.pools.set(origin, pool);
    }
    return pool;
  }

  async close(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(pools.map((pool) => pool.close().catch(() => pool.destroy())));
  }
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Splits a base URL into the pool origin and the path prefix to put before every request path. */
export function splitBaseUrl(baseUrl: string): { origin: string; pathPrefix: string } {
  const url = new URL(baseUrl);
  return { origin: url.origin, pathPrefix: url.pathname.replace(/\/+$/, '') };
}
