/**
 * Python's `int(str)` (base 10): surrounding whitespace, an optional sign and single underscores
 * between digits are allowed. supervisord's `integer` datatype is exactly this, so configs such as
 * `startsecs = +1_0` are valid there and must be here.
 */
import { pythonStrRepr } from "../text.js";

const PY_INT = /^[+-]?\d+(?:_\d+)*$/;
// Python's str.strip() whitespace (ASCII part plus the common Unicode spaces).
const PY_SPACE = /^[\s\x1c-\x1f\x85]+|[\s\x1c-\x1f\x85]+$/g;

/** The integer value, or null if Python's int() would raise. */
export function parsePythonInt(s: string): number | null {
  const t = s.replace(PY_SPACE, "");
  if (!PY_INT.test(t)) return null;
  return Number(t.replace(/_/g, ""));
}

/** Python's ValueError text for a failed int(): `invalid literal for int() with base 10: '1.5'`. */
export function pythonIntErrorMessage(s: string): string {
  return `invalid literal for int() with base 10: ${pythonStrRepr(s)}`;
}
