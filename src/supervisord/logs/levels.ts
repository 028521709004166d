/**
 * supervisord's log levels (supervisor/loggers.py): config names, numbers, and the 4-letter codes
 * printed in the main log. A record is written when `record level >= configured level`.
 */
import type { LogLevelName } from "../config/types.js";

export type { LogLevelName };

/** The 4-letter code printed in a main-log line. */
export type LevelCode = "CRIT" | "ERRO" | "WARN" | "INFO" | "DEBG" | "TRAC" | "BLAT";

export const LEVEL_NUMBERS: Readonly<Record<LogLevelName, number>> = Object.freeze({
  critical: 50,
  error: 40,
  warn: 30,
  info: 20,
  debug: 10,
  trace: 5,
  blather: 3,
});

export const LEVEL_CODES: Readonly<Record<LogLevelName, LevelCode>> = Object.freeze({
  critical: "CRIT",
  error: "ERRO",
  warn: "WARN",
  info: "INFO",
  debug: "DEBG",
  trace: "TRAC",
  blather: "BLAT",
});

/** All level names, most severe first. */
export const LEVEL_NAMES: readonly LogLevelName[] = Object.freeze([
  "critical",
  "error",
  "warn",
  "info",
  "debug",
  "trace",
  "blather",
]);

export function levelNumber(name: LogLevelName): number {
  return LEVEL_NUMBERS[name];
}

export function levelCode(name: LogLevelName): LevelCode {
  return LEVEL_CODES[name];
}

/** The config name for a level given by name (case-insensitive), or null when it is not one. */
export function parseLevelName(text: string): LogLevelName | null {
  const lower = text.toLowerCase();
  return (LEVEL_NAMES as readonly string[]).includes(lower) ? (lower as LogLevelName) : null;
}

/** True when a record at `record` passes a logger configured at `configured`. */
export function levelEnabled(record: LogLevelName, configured: LogLevelName): boolean {
  return LEVEL_NUMBERS[record] >= LEVEL_NUMBERS[configured];
}
