/**
 * The monotonic clock Supvisors' payloads carry (`*_monotonic`, `now_monotonic`): CLOCK_MONOTONIC
 * in seconds, the same clock as Python's time.monotonic(), so instances on one machine agree.
 */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}
