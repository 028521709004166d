/**
 * The readiness_* program options (ours, off by default): datatype functions that throw a
 * ValueProblem naming the bad value, so the section reader ties it to file:line like any option.
 * The check spec is validated completely here (a bad URL or port is a config error, never a
 * check that fails forever at run time).
 */
import { ValueProblem } from "../config/errors.js";
import { shlexSplit } from "../config/shlex.js";
import { parsePythonInt } from "../config/pyint.js";
import { pythonStrRepr } from "../text.js";
import type { ReadinessCheck } from "../config/types.js";

const CHECK_FORMS = "expected http://host[:port]/path, https://host[:port]/path, tcp://host:port or command:<command line>";

/** `readiness_check`: http(s) URL, tcp://host:port or command:<line>. */
export function readinessCheck(raw: string): ReadinessCheck {
  const v = raw.trim();
  const bad = (why: string) => new ValueProblem(`invalid readiness_check value ${pythonStrRepr(raw)}: ${why}`);
  const lower = v.toLowerCase();
  if (lower.startsWith("command:")) {
    const command = v.slice("command:".length).trim();
    let argv: string[];
    try {
      argv = shlexSplit(command);
    } catch (err) {
      throw bad(`cannot split the command: ${(err as Error).message}`);
    }
    if (argv.length === 0) throw bad("the command is empty");
    return { kind: "command", command };
  }
  if (lower.startsWith("http://") || lower.startsWith("https://")) {
    let url: URL;
    try {
      url = new URL(v);
    } catch {
      throw bad("not a valid URL");
    }
    if (!url.hostname) throw bad("the URL has no host");
    return { kind: "http", url: url.href };
  }
  if (lower.startsWith("tcp://")) {
    const m = /^tcp:\/\/(\[[0-9A-Fa-f:.]+\]|[^:/\s[\]]+):([^/\s]*)\/?$/i.exec(v);
    if (!m) throw bad("expected tcp://host:port");
    const port = parsePythonInt(m[2]);
    if (port === null || port < 1 || port > 65535) throw bad(`port ${pythonStrRepr(m[2])} is not an integer from 1 to 65535`);
    const host = m[1].startsWith("[") ? m[1].slice(1, -1) : m[1];
    return { kind: "tcp", host, port };
  }
  throw bad(CHECK_FORMS);
}

/** A decimal number of seconds (`1`, `0.5`, `.25`); `min` is exclusive when `strict`. */
function seconds(raw: string, option: string, min: number, strict: boolean): number {
  const v = raw.trim();
  const n = /^(\d+(\.\d*)?|\.\d+)$/.test(v) ? Number(v) : NaN;
  if (!Number.isFinite(n) || (strict ? n <= min : n < min)) {
    throw new ValueProblem(`invalid ${option} value ${pythonStrRepr(raw)}: expected a number of seconds ${strict ? ">" : ">="} ${min}`);
  }
  return n;
}

export const readinessInterval = (raw: string): number => seconds(raw, "readiness_interval", 0, true);
export const readinessTimeout = (raw: string): number => seconds(raw, "readiness_timeout", 0, true);
export const readinessStartsecs = (raw: string): number => seconds(raw, "readiness_startsecs", 0, false);

export function readinessFailures(raw: string): number {
  const n = parsePythonInt(raw);
  if (n === null || n < 1) throw new ValueProblem(`invalid readiness_failures value ${pythonStrRepr(raw)}: expected an integer >= 1`);
  return n;
}

export function readinessOnFailure(raw: string): "report" | "fail" {
  const v = raw.trim().toLowerCase();
  if (v === "report" || v === "fail") return v;
  throw new ValueProblem(`invalid readiness_on_failure value ${pythonStrRepr(raw)}: expected report or fail`);
}
