/**
 * The `disabilities_file` of [rpcinterface:supvisors] (spec supvisors.md §2): which programs are
 * disabled, kept across restarts. The format is Supvisors' own, so one file serves both: a JSON
 * object mapping each program section name to a boolean (`true` = disabled), written the way
 * Python's json.dumps writes it (`{"prg_a": true, "prg_b": false}`: ", " and ": " separators,
 * non-ASCII as \uXXXX escapes).
 *
 * Unlike Supvisors, which overwrites the file in place, a save goes to a temporary file in the
 * same directory that is then renamed over it: a crash mid-write leaves the old file, never half
 * of a new one. A file that exists but cannot be read or is not such an object is an error naming
 * the file (Supvisors stops on bad JSON with a traceback, and ignores a non-object silently).
 */
import { mkdir, open, readFile, rename, unlink } from "node:fs/promises";
import { dirname, basename, join } from "node:path";

/** Missing file (or no file configured) -> empty map: every program enabled. */
export async function loadDisabilities(file: string | null): Promise<Map<string, boolean>> {
  const map = new Map<string, boolean>();
  if (file === null) return map;
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return map;
    throw new Error(`cannot read disabilities file ${file}: ${reason(err)}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new Error(`disabilities file ${file} is not valid JSON: ${reason(err)}`);
  }
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    throw new Error(`disabilities file ${file} must hold a JSON object of program names to booleans, not ${jsonKind(data)}`);
  }
  for (const [program, disabled] of Object.entries(data)) {
    if (typeof disabled !== "boolean") {
      throw new Error(`disabilities file ${file}: the value of program ${JSON.stringify(program)} must be true or false, not ${jsonKind(disabled)}`);
    }
    map.set(program, disabled);
  }
  return map;
}

/** Saves to the same file are applied in call order: the last call's map is what stays on disk. */
const pendingSaves = new Map<string, Promise<void>>();

/** Write the map (in its iteration order) atomically; null file -> nothing to do. */
export function saveDisabilities(file: string | null, map: ReadonlyMap<string, boolean>): Promise<void> {
  if (file === null) return Promise.resolve();
  const text = pythonJsonDumps(map);
  const previous = pendingSaves.get(file) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(() => writeAtomically(file, text));
  pendingSaves.set(file, next);
  // Forget a finished chain so the table does not grow with every file ever saved.
  const forget = () => {
    if (pendingSaves.get(file) === next) pendingSaves.delete(file);
  };
  next.then(forget, forget);
  return next;
}

let tempSerial = 0;

async function writeAtomically(file: string, text: string): Promise<void> {
  const dir = dirname(file);
  const temp = join(dir, `.${basename(file)}.${process.pid}.${++tempSerial}.tmp`);
  try {
    // Supvisors creates the missing directories of this path at start-up; do it here too.
    await mkdir(dir, { recursive: true });
    const handle = await open(temp, "w");
    try {
      await handle.writeFile(text, "utf8");
      // On disk before the rename makes it the file: the rename is atomic, the data must be there.
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw new Error(`cannot write disabilities file ${file}: ${reason(err)}`);
  }
}

/** Python's `json.dumps(dict)` with its defaults (ensure_ascii, ", " and ": " separators). */
function pythonJsonDumps(map: ReadonlyMap<string, boolean>): string {
  const items = [...map].map(([program, disabled]) => `${pythonJsonString(program)}: ${disabled ? "true" : "false"}`);
  return `{${items.join(", ")}}`;
}

/**
 * JSON.stringify escapes quotes, backslashes and control characters as Python does; ensure_ascii
 * also escapes DEL and every non-ASCII UTF-16 unit (so astral characters become surrogate pairs).
 */
function pythonJsonString(s: string): string {
  return JSON.stringify(s).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

function jsonKind(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  return typeof v === "object" ? "an object" : `a ${typeof v}`;
}

function reason(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
