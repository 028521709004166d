/**
 * The delays between reconnection attempts: exponential, capped, with a random part so that many
 * clients cut off by one daemon restart do not all come back in the same millisecond. Pure: the
 * randomness is injected, so tests get exact delays.
 */
export interface BackoffOptions {
  /** Delay before the first retry, ms (default 250). */
  readonly initialDelayMs: number;
  /** Longest delay, ms (default 10000). */
  readonly maxDelayMs: number;
  /** Growth per failed attempt (default 2). */
  readonly factor: number;
  /** Fraction of each delay drawn at random, 0..1 (default 0.2: a delay d becomes 0.8d..d). */
  readonly jitter: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialDelayMs: 250, maxDelayMs: 10_000, factor: 2, jitter: 0.2 };

export function backoffOptions(partial: Partial<BackoffOptions> = {}): BackoffOptions {
  const o = { ...DEFAULT_BACKOFF, ...partial };
  if (!(o.initialDelayMs >= 0) || !(o.maxDelayMs >= o.initialDelayMs) || !(o.factor >= 1) || !(o.jitter >= 0 && o.jitter <= 1)) {
    throw new RangeError(`invalid reconnect options ${JSON.stringify(partial)}`);
  }
  return o;
}

/** The delay before retry number `attempt` (0 = the first retry after a loss). */
export function backoffDelay(attempt: number, o: BackoffOptions, random: () => number = Math.random): number {
  const full = Math.min(o.maxDelayMs, o.initialDelayMs * o.factor ** attempt);
  return Math.round(full * (1 - o.jitter * random()));
}
