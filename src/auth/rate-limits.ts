// Rate limits around authentication: failed attempts per key name (from one client address) and per
// client address, and requests per access key. In memory, so each server process counts on its own.
import { isIPv6 } from "node:net";
import { RateLimiterMemory, type RateLimiterRes } from "rate-limiter-flexible";
import type { DataSource } from "typeorm";
import type { Config } from "../config";
import { authenticate, type Authentication } from "./authenticate";
import { parseBasicCredentials } from "./basic-credentials";

/** The caller is over a limit; REST answers 429 problem+json, GraphQL an error coded TOO_MANY_REQUESTS, both with Retry-After. */
export class TooManyRequestsError extends Error {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

type RateLimitSettings = Pick<
  Config,
  "authFailuresPerKeyName" | "authFailuresPerAddress" | "authFailureWindowSeconds" | "requestsPerKeyPerMinute"
>;

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

/** One failure counter a request counts against: its limiter and the key it counts under. */
interface FailureBucket {
  limiter: RateLimiterMemory;
  key: string;
}

/**
 * The address a client's failures count under. An IPv6 client usually holds a whole /64 and could
 * otherwise guess from 2^64 addresses; IPv4 (and IPv4-mapped) addresses count one by one.
 */
export function clientBucket(address: string): string {
  if (!isIPv6(address) || address.includes(".")) return address;
  const [head, tail = ""] = address.toLowerCase().split("::");
  const front = head ? head.split(":") : [];
  const back = address.includes("::") && tail ? tail.split(":") : [];
  const groups = [...front, ...Array(8 - front.length - back.length).fill("0"), ...back];
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ""))
    .join(":")}::/64`;
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
   * authenticate() under the limits. Every attempt takes a point from its key name (counted per client
   * address) and from its address before its secret is checked, and gets it back if the key is right:
   * checking first and counting after let 100 parallel guesses all pass a limit of 10 (100 scrypt runs).
   * A secret verified moments ago is not checked again and takes nothing. The key name's count is kept
   * per address so that a stranger who knows a key's name cannot lock out its holder.
   * @throws TooManyRequestsError when over a limit.
   */
  async authenticate(
    db: DataSource,
    authorization: string | undefined,
    address: string | undefined,
    { cost = 1, onQuota }: RateLimitedRequest = {},
  ): Promise<Authentication> {
    // No header is no attempt: it gets 401 (or the public start list) whatever the address did before.
    if (!authorization) return authenticate(db, authorization);
    const name = parseBasicCredentials(authorization)?.name;
    const client = address === undefined ? "" : clientBucket(address);
    const failures: FailureBucket[] = [
      ...(name !== undefined && this.failuresPerKeyName
        ? [{ limiter: this.failuresPerKeyName, key: `${client}\n${name}` }]
        : []),
      ...(address !== undefined && this.failuresPerAddress ? [{ limiter: this.failuresPerAddress, key: client }] : []),
    ];
    let taken = false;
    const refund = () => Promise.all(failures.map(({ limiter, key }) => limiter.reward(key, 1)));
    let auth: Authentication;
    try {
      auth = await authenticate(db, authorization, async () => {
        await take(failures);
        taken = true;
      });
    } catch (error) {
      // Something failing after the point was taken (the database) is no failed guess: give it back.
      if (taken) await refund();
      throw error;
    }
    if (auth.kind === "invalid" && !taken) {
      // A failure that needed no hash check (a malformed header, a revoked key) counts all the same.
      await take(failures);
    } else if (auth.kind === "key") {
      if (taken) await refund();
      if (this.requestsPerKey) {
        const limit = this.requestsPerKey.points;
        const quota = (res: RateLimiterRes) =>
          onQuota?.({ limit, remaining: Math.max(0, res.remainingPoints), resetSeconds: seconds(res) });
        try {
          quota(await this.requestsPerKey.consume(auth.ctx.accessKeyId, cost));
        } catch (rejection) {
          if (rejection instanceof Error) throw rejection;
          quota(rejection as RateLimiterRes);
          const wait = seconds(rejection as RateLimiterRes);
          throw new TooManyRequestsError(`Too many requests with this access key; retry after ${wait} seconds`, wait);
        }
      }
    }
    return auth;
  }
}

/**
 * Takes one point from each bucket, all or none: consume() counts and checks in one step, so parallel
 * attempts cannot all see room that only one of them has.
 * @throws TooManyRequestsError when a bucket is used up; the points taken from the others are given back.
 */
async function take(failures: readonly FailureBucket[]): Promise<void> {
  const done: FailureBucket[] = [];
  for (const bucket of failures) {
    try {
      await bucket.limiter.consume(bucket.key, 1);
      done.push(bucket);
    } catch (rejection) {
      await Promise.all(done.map(({ limiter, key }) => limiter.reward(key, 1)));
      if (rejection instanceof Error) throw rejection;
      const wait = seconds(rejection as RateLimiterRes);
      throw new TooManyRequestsError(`Too many failed authentication attempts; retry after ${wait} seconds`, wait);
    }
  }
}
