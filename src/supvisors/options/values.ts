/**
 * The datatypes of the `[rpcinterface:supvisors]` options (spec §2.2). Each takes the expanded
 * text and returns the typed value or throws ValueProblem whose message says what was expected;
 * the reader adds section, option, value and file:line. No file system here except `globFiles`.
 */
import { statSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { ValueProblem } from "../../supervisord/config/errors.js";
import { boolean, byteSize, integer } from "../../supervisord/config/datatypes.js";
import { comparePython } from "../../supervisord/config/expand.js";
import { pyGlob } from "../../supervisord/config/glob.js";
import { pyStrip, pySplitWhitespace } from "../../supervisord/config/pystr.js";
import { StatisticsTypes, SynchronizationOptions, type SynchronizationOption } from "../../protocol/supvisors.js";

/** Comma-separated, each stripped, empties and duplicates removed, order kept. */
export function list(text: string): string[] {
  const out: string[] = [];
  for (const piece of text.split(",")) {
    const s = pyStrip(piece);
    if (s && !out.includes(s)) out.push(s);
  }
  return out;
}

export function intIn(text: string, min: number, max: number): number {
  let n: number;
  try {
    n = integer(pyStrip(text));
  } catch {
    throw new ValueProblem(`expected an integer from ${min} to ${max}`);
  }
  if (n < min || n > max) throw new ValueProblem(`expected an integer from ${min} to ${max}`);
  return n;
}

const FLOAT_RE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

export function floatIn(text: string, min: number, max: number): number {
  const s = pyStrip(text);
  const n = FLOAT_RE.test(s) ? Number(s) : NaN;
  if (!(n >= min && n <= max)) throw new ValueProblem(`expected a number from ${min} to ${max}`);
  return n;
}

export function bool(text: string): boolean {
  try {
    return boolean(pyStrip(text));
  } catch {
    throw new ValueProblem("expected a boolean (true, false, yes, no, on, off, 1, 0)");
  }
}

/** One of `allowed`, case-insensitive. */
export function oneOf<T extends string>(text: string, allowed: readonly T[]): T {
  const s = pyStrip(text).toUpperCase();
  const found = allowed.find((a) => a === s);
  if (found === undefined) throw new ValueProblem(`expected one of ${allowed.join(", ")}`);
  return found;
}

/** supervisord's byte size (`1024`, `1KB`, `50MB`, `1GB`), not negative. */
export function bytes(text: string): number {
  let n: number;
  try {
    n = byteSize(pyStrip(text));
  } catch {
    throw new ValueProblem("expected a byte size such as 1024, 64KB, 50MB or 1GB");
  }
  if (n < 0) throw new ValueProblem("expected a byte size such as 1024, 64KB, 50MB or 1GB");
  return n;
}

const IPV4_RE = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function ipv4Octets(s: string): number[] | null {
  const m = IPV4_RE.exec(s);
  if (m === null) return null;
  const octets = m.slice(1).map(Number);
  return octets.every((o) => o <= 255) ? octets : null;
}

/** The four addresses the multicast range excludes (spec §2.2). */
const RESERVED_GROUPS = new Set(["224.0.0.0", "232.0.0.0", "233.0.0.0", "239.0.0.0"]);

/** `multicast_group`: `a.b.c.d:port` in 224.0.0.0-239.255.255.255 (four reserved base addresses excluded). */
export function multicastGroup(text: string): { readonly address: string; readonly port: number } {
  const s = pyStrip(text);
  const colon = s.lastIndexOf(":");
  const expected = "expected a multicast address:port, the address in 224.0.0.0-239.255.255.255 (not 224.0.0.0, 232.0.0.0, 233.0.0.0, 239.0.0.0), the port in 1-65535";
  if (colon < 0) throw new ValueProblem(expected);
  const address = s.slice(0, colon);
  const octets = ipv4Octets(address);
  const portText = s.slice(colon + 1);
  const port = /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
  if (octets === null || octets[0]! < 224 || octets[0]! > 239 || RESERVED_GROUPS.has(address) || !(port >= 1 && port <= 65535)) {
    throw new ValueProblem(expected);
  }
  return { address, port };
}

/** `multicast_interface`: a dotted IPv4 address; `ANY` / `INADDR_ANY` give null (all interfaces). */
export function multicastInterface(text: string): string | null {
  const s = pyStrip(text);
  if (/^(?:INADDR_)?ANY$/i.test(s)) return null;
  if (ipv4Octets(s) === null) throw new ValueProblem("expected a dotted IPv4 address, ANY or INADDR_ANY");
  return s;
}

/** `synchro_options`: a list of STRICT, LIST, TIMEOUT, CORE, USER (case-insensitive), before the post-checks. */
export function synchroOptions(text: string): SynchronizationOption[] {
  return list(text).map((item) => {
    try {
      return oneOf(item, SynchronizationOptions);
    } catch {
      throw new ValueProblem(`'${item}' is not one of ${SynchronizationOptions.join(", ")}`);
    }
  });
}

/** `stats_enabled`: OFF, HOST, PROCESS, ALL or a list of them, or a boolean (true = ALL, false = OFF). */
export function statsEnabled(text: string): { readonly host: boolean; readonly process: boolean } {
  try {
    const on = boolean(pyStrip(text));
    return { host: on, process: on };
  } catch {
    // not a boolean: the list form
  }
  const kinds = list(text).map((item) => {
    try {
      return oneOf(item, StatisticsTypes);
    } catch {
      throw new ValueProblem(`expected ${StatisticsTypes.join(", ")} (or a list of them), or a boolean`);
    }
  });
  if (kinds.length === 0) throw new ValueProblem(`expected ${StatisticsTypes.join(", ")} (or a list of them), or a boolean`);
  return {
    host: kinds.some((k) => k === "HOST" || k === "ALL"),
    process: kinds.some((k) => k === "PROCESS" || k === "ALL"),
  };
}

/** `stats_periods`: 1 to 3 numbers, each 1-3600 seconds, returned sorted. */
export function statsPeriods(text: string): number[] {
  const items = list(text);
  if (items.length < 1 || items.length > 3) throw new ValueProblem("expected 1 to 3 periods, each a number of seconds from 1 to 3600");
  const periods = items.map((item) => {
    try {
      return floatIn(item, 1, 3600);
    } catch {
      throw new ValueProblem(`period '${item}' is not a number of seconds from 1 to 3600`);
    }
  });
  return [...new Set(periods)].sort((a, b) => a - b);
}

/**
 * Space-separated globs (already %-expanded), relative ones against `cwd`: the existing files
 * they match, absolute, sorted, each once. Directories are left out (a rules file is a file).
 */
export function globFiles(text: string, cwd: string): string[] {
  const found = new Set<string>();
  for (const pattern of pySplitWhitespace(text)) {
    const abs = isAbsolute(pattern) ? pattern : resolve(cwd, pattern);
    for (const match of pyGlob(abs)) {
      try {
        if (!statSync(match).isDirectory()) found.add(resolve(match));
      } catch {
        // a dangling link matched: not a readable file
      }
    }
  }
  return [...found].sort(comparePython);
}

/** A non-empty string (after stripping). */
export function nonEmpty(text: string): string {
  const s = pyStrip(text);
  if (!s) throw new ValueProblem("expected a non-empty value");
  return s;
}
