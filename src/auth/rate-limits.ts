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
  async authenticate(db: DataSource, authorization: string | undefined, address: string | undefined): Promise<Authentication> {
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
      try {
        await this.requestsPerKey.consume(auth.ctx.accessKeyId);
      } catch (rejection) {
        if (rejection instanceof Error) throw rejection;
        const wait = seconds(rejection as RateLimiterRes);
        throw new TooManyRequestsError(`Too many requests with this access key; retry after ${wait} seconds`, wait);
      }
    }
    return auth;
  }
}
