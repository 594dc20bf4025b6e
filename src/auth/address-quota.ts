// Requests per client address for callers without a valid key: keyless GraphQL and the public start lists.
// A key's requests count against the key's own quota (rate-limits.ts); these callers have no key to count against.
import { RateLimiterMemory, type RateLimiterRes } from "rate-limiter-flexible";
import { TooManyRequestsError } from "./rate-limits";

export class AddressQuota {
  private readonly limiter: RateLimiterMemory | null;

  /** `requestsPerMinute` of 0 turns the quota off. */
  constructor(requestsPerMinute: number) {
    this.limiter = requestsPerMinute > 0 ? new RateLimiterMemory({ points: requestsPerMinute, duration: 60 }) : null;
  }

  /**
   * Counts `cost` requests (a GraphQL batch counts each operation) of the address.
   * @throws TooManyRequestsError, with the seconds until the minute's window resets, when the address is over its quota.
   */
  async consume(address: string | undefined, cost = 1): Promise<void> {
    if (!this.limiter) return;
    try {
      // Without an address (a closed socket) every such request shares one count rather than none.
      await this.limiter.consume(address ?? "unknown", cost);
    } catch (rejection) {
      if (rejection instanceof Error) throw rejection;
      const wait = Math.max(1, Math.ceil((rejection as RateLimiterRes).msBeforeNext / 1000));
      throw new TooManyRequestsError(
        `Too many requests without an access key from this address; retry after ${wait} seconds`,
        wait,
      );
    }
  }
}
