// A bounded wait on a condition, for tests that must let the server (or the database) get somewhere:
// it checks the condition itself instead of sleeping a fixed time, and says what it waited for when
// it gives up, instead of polling forever.

export interface WaitOptions {
  /** Longest wait before failing; 10 s unless given. */
  timeoutMs?: number;
  /** Pause between checks; 20 ms unless given. */
  intervalMs?: number;
  /** What was awaited, for the failure message. */
  what?: string;
}

/** What a truthy result of a condition can be. */
export type Truthy<T> = Exclude<T, false | null | undefined | 0 | "">;

/**
 * Calls `condition` until it returns something truthy, and returns that. An error the condition throws
 * ends the wait at once (a check that fails is a finding, not a reason to try again).
 * @throws Error naming `what` after `timeoutMs`.
 */
export async function waitFor<T>(
  condition: () => T | Promise<T>,
  { timeoutMs = 10_000, intervalMs = 20, what = "the condition" }: WaitOptions = {},
): Promise<Truthy<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await condition();
    if (value) return value as Truthy<T>;
    if (Date.now() >= deadline) throw new Error(`waited ${timeoutMs} ms for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
