/**
 * The command table's plugin point. supervisorctl's own commands are the "default" plugin;
 * supvisorsctl adds its commands as one more plugin, and `help` then lists each plugin's
 * commands under its own `<name> commands (type help <topic>):` heading, as Python's
 * supervisorctl does for [ctlplugin:x] sections.
 */
import type { Controller } from "./controller.js";
import type { CallResult } from "./rpc-types.js";

/** "exit" ends the interactive shell (quit, exit, EOF). */
export type CommandOutcome = void | "exit";

/**
 * What the words after the command complete to in the shell: supervisorctl's kinds (from
 * supervisor.getAllProcessInfo), and the supvisors ones (from the supvisors namespace, or fixed
 * word lists).
 */
export type CompletionKind =
  | "actions"
  | "groups"
  | "processes"
  /** Application names (supvisors.get_all_applications_info). */
  | "applications"
  /** `appli:proc` and `appli:*` from supvisors.get_all_process_info. */
  | "namespecs"
  /** Identifiers and nicks of the instances (supvisors.get_all_instances_info). */
  | "instances"
  | "starting-strategies"
  | "conciliation-strategies"
  | "log-levels"
  /** `host`, `process`, `all` (enable_stats / disable_stats). */
  | "stats-kinds";

export interface CtlCommand {
  /** The word typed, made of [A-Za-z0-9_] like Python's cmd module requires. */
  readonly name: string;
  /** `arg` is the rest of the line, stripped. */
  readonly run: (ctl: Controller, arg: string) => Promise<CommandOutcome>;
  /**
   * The text `help <name>` prints (without its final newline). A command without help
   * is callable but not listed by `help`, like an undocumented `do_x` in Python.
   */
  readonly help?: string;
  /** One kind for every argument, or one per position (the last one repeats). */
  readonly completes?: CompletionKind | readonly CompletionKind[];
}

export interface CtlPlugin {
  /** Shown in the help heading: `<name> commands (type help <topic>):`. */
  readonly name: string;
  readonly commands: readonly CtlCommand[];
  /** The line of a `start` result whose code the plugin knows, else undefined. */
  readonly startResult?: (result: CallResult) => string | undefined;
}

/** The ordered set of plugins a Controller dispatches to; the first plugin naming a command wins. */
export class CommandTable {
  private readonly plugins: CtlPlugin[] = [];

  register(plugin: CtlPlugin): this {
    for (const c of plugin.commands) {
      if (!/^[A-Za-z0-9_]+$/.test(c.name)) throw new InvalidCommandNameError(plugin.name, c.name);
    }
    this.plugins.push(plugin);
    return this;
  }

  list(): readonly CtlPlugin[] {
    return this.plugins;
  }

  find(name: string): CtlCommand | undefined {
    for (const p of this.plugins) {
      const c = p.commands.find((x) => x.name === name);
      if (c) return c;
    }
    return undefined;
  }
}

export class InvalidCommandNameError extends Error {
  readonly code = "INVALID_COMMAND_NAME";
  constructor(plugin: string, name: string) {
    super(`plugin ${plugin}: command name ${JSON.stringify(name)} must be made of [A-Za-z0-9_]`);
  }
}
