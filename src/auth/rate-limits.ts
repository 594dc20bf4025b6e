// Rate limits around authentication: failed attempts per key name and per client address, and
// requests per access key. In memory, so each server process counts on its own.
import { RateLimiterMemory, type RateLimiterRes } from "rate-limiter-flexible";
import type { DataSource } from "typeorm";
import type { Config } from "../config";
import { authenticate, type Authentication } from "./authenticate";
import { parseBasicCredentials } from "./basic-credentials";

/** The caller is over a limit; REST answers 429 problem+json, GraphQL an error coded TOO_MANY_REQUESTS, both with Retry-After. */
export class TooManyRequestsError extends Error {
  constructor(message: string, readonly retryAfterSeconds: number) {
    super(message);
  }
}

type RateLimitSettings = Pick<Config, "authFailuresPerKeyName" | "authFailuresPerAddress" | "authFailureWindowSeconds" | "requestsPerKeyPerMinute">;

// A limit of 0 turns that limiter off.
const limiter = (points: number, duration: number) => (points > 0 ? new RateLimiterMemory({ points, duration }) : null);

const seconds = (res: RateLimiterRes) => Math.max(1, Math.ceil(res.msBeforeNext / 1000));

/** Where a key stands in its per-minute quota after a request: what the RateLimit headers tell the client. */
export interface KeyQuota {
  limit: number;
  remaining: number;
  resetSeconds: number;
}

/**
 * The quota as IETF httpapi draft headers (draft-ietf-httpapi-ratelimit-headers), so that a client can slow
 * down before it gets 429: `RateLimit-Policy: "per-key";q=1200;w=60` and `RateLimit: "per-key";r=1187;t=42`.
 */
export function rateLimitHeaders(quota: KeyQuota): Record<string, string> {
  return {
    "RateLimit-Policy": `"per-key";q=${quota.limit};w=60`,
    RateLimit: `"per-key";r=${quota.remaining};t=${quota.resetSeconds}`,
  };
}

export interface RateLimitedRequest {
  /** Requests this one counts as against the key's quota: a GraphQL batch counts each operation. */
  cost?: number;
  /** Told the key's quota after it was counted, the 429 included; not called without a key or with the limit off. */
  onQuota?: (quota: KeyQuota) => void;
}

export class RateLimits {
  private readonly failuresPerKeyName: RateLimiterMemory | null;
  private readonly failuresPerAddress: RateLimiterMemory | null;
  private readonly requestsPerKey: RateLimiterMemory | null;

  constructor(settings: RateLimitSettings) {
    this.failuresPerKeyName = limiter(settings.authFailuresPerKeyName, settings.authFailureWindowSeconds);
    this.failuresPerAddress = limiter(settings.authFailuresPerAddress, settings.authFailureWindowSeconds);
    this.requestsPerKey = limiter(settings.requestsPerKeyPerMinute, 60);
  }

  /**
   * authenticate() under the limits. A key name or address with too many recent failures is refused
   * before its secret is checked; a failure counts against both; a success counts only as a request of its key.
   * @throws TooManyRequestsError when over a limit.
   */
  async authenticate(
    db: DataSource, authorization: string | undefined, address: string | undefined, { cost = 1, onQuota }: RateLimitedRequest = {},
  ): Promise<Authentication> {
    // No header is no attempt: it gets 401 (or the public start list) whatever the address did before.
    if (!authorization) return authenticate(db, authorization);
    const name = parseBasicCredentials(authorization)?.name;
    const failures = [
      ...(name !== undefined && this.failuresPerKeyName ? [{ limiter: this.failuresPerKeyName, key: name }] : []),
      ...(address !== undefined && this.failuresPerAddress ? [{ limiter: this.failuresPerAddress, key: address }] : []),
    ];
    for (const { limiter, key } of failures) {
      const res = await limiter.get(key);
      if (res && res.consumedPoints >= limiter.points) {
        const wait = seconds(res);
        throw new TooManyRequestsError(`Too many failed authentication attempts; retry after ${wait} seconds`, wait);
      }
    }
    const auth = await authenticate(db, authorization);
    if (auth.kind === "invalid") {
      // penalty() only counts; the request that reaches the limit still gets its 401.
      for (const { limiter, key } of failures) await limiter.penalty(key);
    } else if (auth.kind === "key" && this.requestsPerKey) {
      const limit = this.requestsPerKey.points;
      const quota = (res: RateLimiterRes) => onQuota?.({ limit, remaining: Math.max(0, res.remainingPoints), resetSeconds: seconds(res) });
      try {
        quota(await this.requestsPerKey.consume(auth.ctx.accessKeyId, cost));
      } catch (rejection) {
        if (rejection instanceof Error) throw rejection;
        quota(rejection as RateLimiterRes);
        const wait = seconds(rejection as RateLimiterRes);
        throw new TooManyRequestsError(`Too many requests with this access key; retry after ${wait} seconds`, wait);
      }
    }
    return auth;
  }
}
