/**
 * The one reader of stdin: a node:readline interface shared by the shell's prompt, fg's
 * forwarding and the y/N and credential prompts, so lines typed while a command runs are kept
 * for whoever asks next (as a terminal's own line buffer does for Python's input()).
 * On a terminal it also provides completion, history and Ctrl-C; otherwise it reads plain lines
 * and still writes each prompt, like Python's input() does with a piped stdin.
 */
import readline from "node:readline";
import { Writable } from "node:stream";

export interface LineInputOptions {
  readonly input: NodeJS.ReadableStream & { isTTY?: boolean };
  readonly output: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  readonly completer?: (line: string) => Promise<[string[], string]>;
  /** Initial history, oldest first. */
  readonly history?: readonly string[];
  /** Ctrl-C on a terminal. */
  readonly onInterrupt?: () => void;
}

export class LineInput {
  private readonly rl: readline.Interface;
  private readonly lines: string[] = [];
  private waiter: ((line: string | null) => void) | null = null;
  private closed = false;
  private muted = false;
  private hist: string[] = [];
  private readonly out: NodeJS.WritableStream;
  readonly terminal: boolean;

  constructor(opts: LineInputOptions) {
    this.terminal = opts.input.isTTY === true && opts.output.isTTY === true;
    const real = opts.output;
    this.out = real;
    this.hist = [...(opts.history ?? [])].reverse();
    // Echo goes through this gate so password prompts can hide what is typed.
    const gate = new Writable({
      write: (chunk, _enc, cb) => {
        if (!this.muted) real.write(chunk);
        cb();
      },
    });
    Object.defineProperty(gate, "columns", { get: () => real.columns ?? 80 });
    Object.defineProperty(gate, "isTTY", { get: () => real.isTTY });
    const completer = opts.completer;
    this.rl = readline.createInterface({
      input: opts.input,
      output: gate,
      terminal: this.terminal,
      historySize: 1000,
      history: [...(opts.history ?? [])].reverse(),
      removeHistoryDuplicates: false,
      tabSize: 8,
      ...(completer && this.terminal
        ? {
            completer: (line: string, cb: (err: Error | null, result: [string[], string]) => void) => {
              completer(line).then(
                (r) => cb(null, r),
                () => cb(null, [[], line]),
              );
            },
          }
        : {}),
    });
    this.rl.on("line", (line) => this.deliver(line));
    this.rl.on("history", (h: string[]) => (this.hist = h));
    this.rl.on("close", () => {
      this.closed = true;
      this.deliver(null);
    });
    if (this.terminal) {
      this.rl.on("SIGINT", () => {
        if (opts.onInterrupt) opts.onInterrupt();
        else this.rl.close();
      });
    }
  }

  private deliver(line: string | null): void {
    const w = this.waiter;
    if (w) {
      this.waiter = null;
      w(line);
    } else if (line !== null) {
      this.lines.push(line);
    }
  }

  /** Shows `prompt` and resolves with the next line; null at end of input or on abort. */
  read(prompt: string, opts: { hidden?: boolean; signal?: AbortSignal } = {}): Promise<string | null> {
    if (opts.hidden && !this.terminal) return this.readHiddenWithoutTerminal(prompt);
    return this.readLine(prompt, opts);
  }

  /**
   * Python's getpass without a terminal falls back to a visible read, warning and prompting on
   * stderr, and ends the prompt line there.
   */
  private async readHiddenWithoutTerminal(prompt: string): Promise<string | null> {
    process.stderr.write(`Warning: Password input may be echoed.\n${prompt}`);
    const line = await this.readLine("", {});
    if (line !== null) process.stderr.write("\n");
    return line;
  }

  private readLine(prompt: string, opts: { hidden?: boolean; signal?: AbortSignal }): Promise<string | null> {
    if (this.lines.length) {
      // Already typed: Python would still print the prompt before consuming it.
      this.out.write(prompt);
      return Promise.resolve(this.lines.shift()!);
    }
    if (opts.signal?.aborted) return Promise.resolve(null);
    if (this.closed) {
      // Python's input() shows the prompt before it meets the end of input.
      this.out.write(prompt);
      return Promise.resolve(null);
    }
    this.rl.setPrompt(prompt);
    this.rl.prompt();
    if (opts.hidden) this.muted = true;
    return new Promise((resolve) => {
      const onAbort = () => {
        if (this.waiter === finish) this.waiter = null;
        finish(null);
      };
      const finish = (line: string | null) => {
        opts.signal?.removeEventListener("abort", onAbort);
        if (opts.hidden) {
          this.muted = false;
          // The Enter was not echoed; getpass ends the prompt line itself.
          this.out.write("\n");
        }
        resolve(line);
      };
      this.waiter = finish;
      opts.signal?.addEventListener("abort", onAbort);
    });
  }

  /** Clears the typed text after Ctrl-C and shows the prompt again on a fresh line. */
  cancelLine(): void {
    this.rl.write(null, { ctrl: true, name: "u" });
    this.out.write("\n");
    this.rl.prompt();
  }

  /** History, oldest first (what gets saved to history_file). */
  history(): string[] {
    return [...this.hist].reverse();
  }

  close(): void {
    if (!this.closed) this.rl.close();
  }
}
