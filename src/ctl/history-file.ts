/**
 * readline history persistence for `history_file` / `-r`: one entry per line, oldest first, as
 * GNU readline's read_history_file/write_history_file. Unreadable or unwritable files are
 * ignored, as the reference ignores IOError.
 */
import { readFileSync, writeFileSync } from "node:fs";

export function loadHistory(file: string): string[] {
  try {
    return readFileSync(file, "utf8")
      .split("\n")
      .filter((l, i, all) => !(i === all.length - 1 && l === ""))
      .filter((l) => l !== "_HiStOrY_V2_");
  } catch {
    return [];
  }
}

export function saveHistory(file: string, entries: readonly string[]): void {
  try {
    writeFileSync(file, entries.map((e) => e + "\n").join(""));
  } catch {
    // The reference ignores IOError here too.
  }
}
