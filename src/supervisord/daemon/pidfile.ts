/** The pidfile: written after start (`<pid>\n`), removed at exit only if this daemon wrote it. */
import { writeFileSync, readFileSync, unlinkSync } from "node:fs";

export class PidFile {
  private written = false;
  constructor(readonly path: string) {}

  /** Returns false when the file could not be written (supervisord logs CRIT and goes on). */
  write(pid: number): boolean {
    try {
      writeFileSync(this.path, `${pid}\n`);
      this.written = true;
      return true;
    } catch {
      return false;
    }
  }

  remove(pid: number): void {
    if (!this.written) return;
    try {
      if (readFileSync(this.path, "utf8").trim() === String(pid)) unlinkSync(this.path);
    } catch {
      /* already gone */
    }
    this.written = false;
  }
}
