/**
 * The command interpreter shared by the one-shot command line and the interactive shell: it
 * parses a line like Python's cmd.Cmd, dispatches to the command table, keeps the exit status,
 * and turns unexpected failures into the reference's one-line `error: ...` report (spec §10).
 */
import type { RpcValue } from "../supervisord/rpc/codec.js";
import { Faults } from "../protocol/faults.js";
import { API_VERSION } from "../supervisord/version.js";
import { EndOfInputError, HttpStatusError, SocketError, XmlRpcFault, formatUnexpected } from "./errors.js";
import { LsbInit } from "./exit-status.js";
import type { CommandOutcome, CommandTable, CtlCommand } from "./plugin.js";
import { columnize, parseLine } from "./python-text.js";
import { pyStr } from "./python-values.js";
import { HttpXmlRpcClient, type RpcCaller } from "./transport.js";

/** The settings a session runs with; `open` and the auth prompt change them. */
export interface SessionOptions {
  serverurl: string;
  username: string | null;
  password: string | null;
  readonly prompt: string;
  readonly history_file: string | null;
  /** -i given or no action word: confirmations and the auth prompt are asked. */
  readonly interactive: boolean;
  /** Ours: the CA file that verifies https:// servers (SUPERVISOR_CA_FILE or [supervisorctl] ca_file). */
  readonly caFile?: string | null;
  /** event_link / event_port of the config's [rpcinterface:supvisors], for `--follow`. */
  readonly supvisorsEvents?: { readonly link: string | null; readonly port: string | null } | null;
}

/** Terminal access, provided by the entry point (one-shot) or the shell (interactive). */
export interface ControllerIO {
  /** Raw text to stdout (no newline added). */
  write(text: string): void;
  /** One line to stderr (newline added). */
  errorLine(line: string): void;
  /**
   * Read one line after showing `prompt`; null at end of input or when `signal` aborts.
   * Echo is off when `hidden` (password prompts).
   */
  readLine(prompt: string, opts?: { hidden?: boolean; signal?: AbortSignal }): Promise<string | null>;
  /** Colour state names (stdout is a TTY and NO_COLOR is unset). */
  readonly colour: boolean;
  /** stdout is a terminal (`--follow` redraws in place); false or absent when piped. */
  readonly terminal?: boolean;
}

export interface ProxyOptions {
  /** `<double>` answers as RpcDouble instead of numbers. */
  readonly keepDoubles?: boolean;
  /** The CA file for https:// servers (the session's; set by proxyAt). */
  readonly caFile?: string | null;
}

/** Makes the XML-RPC caller for the current URL and credentials; tests may inject another. */
export type CallerFactory = (serverurl: string, username: string | null, password: string | null, opts?: ProxyOptions) => RpcCaller;

export const defaultCallerFactory: CallerFactory = (url, username, password, opts) =>
  new HttpXmlRpcClient(url, { username, password, keepDoubles: opts?.keepDoubles === true, caFile: opts?.caFile ?? null });

/** A proxy for one namespace, like `self.ctl.get_supervisor()`. */
export interface NamespaceProxy {
  call(method: string, ...params: RpcValue[]): Promise<RpcValue>;
}

export class Controller {
  exitstatus: number = LsbInit.SUCCESS;
  private readonly callers: RpcCaller[] = [];
  private interruptible: AbortController | null = null;

  constructor(
    readonly options: SessionOptions,
    readonly io: ControllerIO,
    readonly table: CommandTable,
    private readonly makeCaller: CallerFactory = defaultCallerFactory,
  ) {}

  output(message: string): void {
    this.io.write(message + "\n");
  }

  /**
   * A proxy on `namespace` for the current server URL. Like the reference, an unknown URL
   * scheme fails here, before any request.
   */
  proxy(namespace: string, opts?: ProxyOptions): NamespaceProxy {
    return this.proxyAt(this.options.serverurl, namespace, opts);
  }

  /** A proxy on another server with this session's credentials (supvisors' all_start). */
  proxyAt(serverurl: string, namespace: string, opts?: ProxyOptions): NamespaceProxy {
    const caller = this.makeCaller(serverurl, this.options.username, this.options.password, this.options.caFile ? { ...opts, caFile: this.options.caFile } : opts);
    this.callers.push(caller);
    return { call: (method, ...params) => caller.call(`${namespace}.${method}`, params) };
  }

  supervisor(): NamespaceProxy {
    return this.proxy("supervisor");
  }

  /** Closes the connections opened by the last command. */
  closeConnections(): void {
    for (const c of this.callers.splice(0)) c.close();
  }

  setExitstatusFromFault(faultCode: number, ignored?: number): void {
    if (faultCode === ignored || faultCode === Faults.SUCCESS) return;
    if (faultCode === Faults.SPAWN_ERROR || faultCode === Faults.ABNORMAL_TERMINATION || faultCode === Faults.NOT_RUNNING) {
      this.exitstatus = LsbInit.NOT_RUNNING;
    } else {
      this.exitstatus = LsbInit.GENERIC;
    }
  }

  /** supervisor.getVersion() before a command; false (with a message) when it cannot proceed. */
  async upcheck(): Promise<boolean> {
    try {
      const api = await this.supervisor().call("getVersion");
      if (api !== API_VERSION) {
        this.output(
          `Sorry, this version of supervisorctl expects to talk to a server with API version ${API_VERSION}, ` +
            `but the remote version is ${pyStr(api)}.`,
        );
        this.exitstatus = LsbInit.NOT_INSTALLED;
        return false;
      }
    } catch (e) {
      if (e instanceof XmlRpcFault) {
        if (e.faultCode === Faults.UNKNOWN_METHOD) {
          this.output(
            "Sorry, supervisord responded but did not recognize the supervisor namespace commands that " +
              "supervisorctl uses to control it.  Please check that the [rpcinterface:supervisor] section is " +
              "enabled in the configuration file (see sample.conf).",
          );
          this.exitstatus = LsbInit.UNIMPLEMENTED_FEATURE;
          return false;
        }
        this.exitstatus = LsbInit.GENERIC;
        throw e;
      }
      if (e instanceof SocketError) {
        if (e.errnoCode === "ECONNREFUSED") {
          this.output(`${this.options.serverurl} refused connection`);
          this.exitstatus = LsbInit.INSUFFICIENT_PRIVILEGES;
          return false;
        }
        if (e.errnoCode === "ENOENT") {
          this.output(`${this.options.serverurl} no such file`);
          this.exitstatus = LsbInit.NOT_RUNNING;
          return false;
        }
        this.exitstatus = LsbInit.GENERIC;
      }
      throw e;
    }
    return true;
  }

  /**
   * Runs `fn` so that Ctrl-C (see interrupt()) aborts it instead of the program: `tail -f`,
   * `maintail -f` and `fg`.
   */
  async interruptibly<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const ac = new AbortController();
    this.interruptible = ac;
    try {
      return await fn(ac.signal);
    } finally {
      if (this.interruptible === ac) this.interruptible = null;
    }
  }

  /** Ctrl-C: aborts the interruptible operation; false when there is none. */
  interrupt(): boolean {
    if (!this.interruptible) return false;
    this.interruptible.abort();
    this.interruptible = null;
    return true;
  }

  /** All command words for completion: `help` first, then every plugin's commands sorted. */
  vocabulary(): string[] {
    const words = ["help"];
    for (const p of this.table.list()) words.push(...p.commands.map((c) => c.name).sort());
    return words;
  }

  /** One line of input; resolves "exit" when the shell should stop. */
  async onecmd(input: string): Promise<CommandOutcome> {
    const { cmd, arg, line } = parseLine(input);
    if (!line) return;
    if (cmd === null || cmd === "") return this.unknownSyntax(line);
    const command = this.findCommand(cmd);
    if (!command) return this.unknownSyntax(line);
    const argText = arg ?? "";
    try {
      try {
        return await command.run(this, argText);
      } catch (e) {
        if (!(e instanceof HttpStatusError)) throw e;
        if (e.status !== 401) {
          this.exitstatus = LsbInit.GENERIC;
          throw e;
        }
        this.output("Server requires authentication");
        if (this.options.interactive) {
          const username = await this.io.readLine("Username:");
          if (username === null) throw new EndOfInputError("auth");
          const password = await this.io.readLine("Password:", { hidden: true });
          if (password === null) throw new EndOfInputError("getpass");
          this.output("");
          this.options.username = username;
          this.options.password = password;
          this.closeConnections();
          return await this.onecmd(input);
        }
        this.exitstatus = LsbInit.GENERIC;
      }
      // The reference falls through and runs the command a second time after a 401; a script
      // sees the second failure as an `error: ... 401 Unauthorized` line, so we do the same.
      await command.run(this, argText);
    } catch (e) {
      this.output(formatUnexpected(e));
      this.exitstatus = LsbInit.GENERIC;
    } finally {
      this.closeConnections();
    }
  }

  private findCommand(name: string): CtlCommand | undefined {
    if (name === "help") return HELP_COMMAND;
    if (name === "EOF") return EOF_COMMAND;
    return this.table.find(name);
  }

  private unknownSyntax(line: string): void {
    this.output(`*** Unknown syntax: ${line}`);
    this.exitstatus = LsbInit.GENERIC;
  }

  /** `help` (all topics, per plugin) and `help <topic>`. */
  help(arg: string): void {
    if (arg.trim() === "help") {
      this.output("help\t\tPrint a list of available actions");
      this.output("help <action>\tPrint help for <action>");
      return;
    }
    for (const plugin of this.table.list()) {
      if (arg) {
        const c = plugin.commands.find((x) => x.name === arg);
        this.output(c?.help !== undefined ? c.help : `*** No help on ${arg}`);
        continue;
      }
      const documented = plugin.commands
        .filter((c) => c.help !== undefined)
        .map((c) => c.name)
        .sort();
      this.output("");
      if (documented.length) {
        const header = `${plugin.name} commands (type help <topic>):`;
        this.io.write(header + "\n" + "=".repeat(header.length) + "\n");
        for (const l of columnize(documented, 79)) this.io.write(l + "\n");
        this.io.write("\n");
      }
    }
  }
}

const HELP_COMMAND: CtlCommand = {
  name: "help",
  run: async (ctl, arg) => ctl.help(arg),
};
const EOF_COMMAND: CtlCommand = {
  name: "EOF",
  run: async (ctl) => {
    ctl.output("");
    return "exit";
  },
};
