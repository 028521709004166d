/**
 * getProcessInfo's numbers and `description` text (spec §8.8), formatted exactly as supervisord's
 * rpcinterface does it with Python's int(), datetime.timedelta and strftime.
 */
import type { ProcessStateName } from "./states.js";

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/** supervisord's capped_int: truncate toward zero, clamp to XML-RPC's int32. */
export function cappedInt(value: number): number {
  const i = Math.trunc(value);
  return Math.min(INT32_MAX, Math.max(INT32_MIN, i));
}

/** str(datetime.timedelta(seconds=n)) for whole, non-negative n: `0:00:21`, `1 day, 0:00:05`. */
export function formatTimedelta(totalSeconds: number): string {
  const s = Math.max(0, Math.trunc(totalSeconds));
  const days = Math.floor(s / 86400);
  const rem = s % 86400;
  const h = Math.floor(rem / 3600);
  const m = Math.floor((rem % 3600) / 60);
  const sec = rem % 60;
  const hms = `${h}:${String(m).padStart(2, "0")}:${String(sec).padStart(2, "0")}`;
  return days ? `${days} day${days === 1 ? "" : "s"}, ${hms}` : hms;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** strftime('%b %d %I:%M %p') of a local time given in epoch seconds (C locale). */
export function formatLocalStopTime(epochSeconds: number): string {
  const d = new Date(epochSeconds * 1000);
  const hour12 = d.getHours() % 12 === 0 ? 12 : d.getHours() % 12;
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${MONTHS[d.getMonth()]} ${pad(d.getDate())} ${pad(hour12)}:${pad(d.getMinutes())} ${d.getHours() < 12 ? "AM" : "PM"}`;
}

/** The whole-second fields description() is computed from (as in the RPC struct). */
export interface DescribeInput {
  readonly name: string;
  readonly state: ProcessStateName;
  readonly pid: number;
  readonly start: number;
  readonly stop: number;
  readonly now: number;
  readonly spawnerr: string;
}

/** supervisord's rpcinterface._interpretProcessInfo. */
export function describeProcess(i: DescribeInput): string {
  switch (i.state) {
    case "RUNNING":
      // Negative uptime (clock set back) shows as 0:00:00.
      return `pid ${i.pid}, uptime ${formatTimedelta(i.now - i.start)}`;
    case "BACKOFF":
    case "FATAL":
      return i.spawnerr || `unknown error (try "tail ${i.name}")`;
    case "STOPPED":
    case "EXITED":
      // Keyed on start, not stop: a process stopped while in BACKOFF was never reaped (stop=0)
      // and shows the epoch, as supervisord does.
      return i.start ? formatLocalStopTime(i.stop) : "Not started";
    default:
      return "";
  }
}
