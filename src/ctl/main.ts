/**
 * supervisorctl's program: options, then either one command (exit status = the command's) or
 * the interactive shell (exit status 0). `plugins` are registered after the default commands;
 * supvisorsctl passes its own.
 */
import { colourEnabled } from "./colour.js";
import { defaultPlugin } from "./commands/default-plugin.js";
import { Completer } from "./completion.js";
import { Controller, type ControllerIO, type SessionOptions } from "./controller.js";
import { loadHistory, saveHistory } from "./history-file.js";
import { LineInput } from "./line-input.js";
import { parseCtlArgs } from "./options.js";
import { CommandTable, type CtlPlugin } from "./plugin.js";
import type { CtlPluginSection } from "../supervisord/config/types.js";

export interface CtlMainOptions {
  /** Program path as shown in usage messages and used for the config search. */
  readonly argv0: string;
  /** Plugins always loaded (supvisorsctl's own), after those the config names. */
  readonly plugins?: readonly CtlPlugin[];
  /** The plugins a `[ctlplugin:x]` section may load, by `supervisor.ctl_factory`. */
  readonly factories?: Readonly<Record<string, CtlPlugin>>;
}

export function buildCommandTable(plugins: readonly CtlPlugin[] = []): CommandTable {
  const table = new CommandTable().register(defaultPlugin);
  for (const p of plugins) table.register(p);
  return table;
}

/**
 * The config's plugins in file order, each named after its section as supervisorctl names them,
 * then the always-loaded ones whose name the config did not already use (supvisorsctl adds its
 * plugin only when no `[ctlplugin:supvisors]` did).
 */
export function pluginsFor(
  sections: readonly CtlPluginSection[],
  factories: Readonly<Record<string, CtlPlugin>>,
  always: readonly CtlPlugin[],
): CtlPlugin[] {
  const out: CtlPlugin[] = [];
  for (const s of sections) {
    const plugin = factories[s.factory];
    if (plugin) out.push(plugin.name === s.name ? plugin : { ...plugin, name: s.name });
  }
  for (const p of always) if (!out.some((x) => x.name === p.name)) out.push(p);
  return out;
}

export async function runSupervisorctl(args: readonly string[], opts: CtlMainOptions): Promise<number> {
  const factories = opts.factories ?? {};
  const parsed = parseCtlArgs(args, opts.argv0, process.env, process.cwd(), Object.keys(factories));
  if (parsed.kind === "help") {
    process.stdout.write(parsed.text);
    return 0;
  }
  if (parsed.kind === "usage-error") {
    process.stderr.write(`Error: ${parsed.message}\nFor help, use ${opts.argv0} -h\n`);
    return 2;
  }
  const s = parsed.settings;
  const session: SessionOptions = {
    serverurl: s.serverurl,
    username: s.username,
    password: s.password,
    prompt: s.prompt,
    history_file: s.history_file,
    interactive: s.interactive,
    supvisorsEvents: s.supvisorsEvents,
    ...(s.ca_file ? { caFile: s.ca_file } : {}),
  };
  const table = buildCommandTable(pluginsFor(s.ctlplugins, factories, opts.plugins ?? []));

  // stdin is only opened when something reads it, so one-shot commands never hold the tty.
  let input: LineInput | null = null;
  let ctl: Controller;
  let completer: Completer;
  const lineInput = (): LineInput => {
    input ??= new LineInput({
      input: process.stdin,
      output: process.stdout,
      completer: (line) => completer.complete(line),
      history: s.history_file && s.args.length === 0 ? loadHistory(s.history_file) : [],
      onInterrupt: () => {
        if (!ctl.interrupt()) input!.cancelLine();
      },
    });
    return input;
  };
  const io: ControllerIO = {
    write: (text) => process.stdout.write(text),
    errorLine: (line) => process.stderr.write(line + "\n"),
    readLine: (prompt, o) => lineInput().read(prompt, o),
    colour: colourEnabled(process.stdout, process.env),
    terminal: process.stdout.isTTY === true,
  };
  ctl = new Controller(session, io, table);
  completer = new Completer(ctl);

  // Ctrl-C outside readline's raw mode (one-shot `tail -f`, or a piped shell).
  const onSigint = () => {
    if (ctl.interrupt()) return;
    process.off("SIGINT", onSigint);
    process.kill(process.pid, "SIGINT");
  };
  process.on("SIGINT", onSigint);
  try {
    if (s.args.length) {
      await ctl.onecmd(s.args.join(" "));
      return ctl.exitstatus;
    }
    const shellInput = lineInput();
    const { runShell } = await import("./shell.js");
    await runShell(ctl, shellInput, completer);
    if (s.history_file) saveHistory(s.history_file, shellInput.history());
    return 0;
  } finally {
    process.off("SIGINT", onSigint);
    (input as LineInput | null)?.close();
  }
}
