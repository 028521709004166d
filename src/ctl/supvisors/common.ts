/**
 * What every supvisors command shares (spec §10 "General behaviour"): the API version check
 * that runs before each command, the `ERROR (<faultString>)` reports, the tables whose
 * variable columns are as wide as their widest value plus two, and values printed the way
 * Python's str() prints them (`True`, `['a', 'b']`, `5.0`), so that a script reading the real
 * plugin's output reads ours unchanged.
 */
import { Faults } from "../../protocol/faults.js";
import { SUPVISORS_API_VERSION } from "../../protocol/supvisors.js";
import { RpcDouble, isRpcStruct, type RpcStruct, type RpcValue } from "../../supervisord/rpc/codec.js";
import type { Controller, NamespaceProxy } from "../controller.js";
import { SocketError, XmlRpcFault } from "../errors.js";
import { LsbInit } from "../exit-status.js";
import { colourState } from "../colour.js";
import { ljust } from "../python-text.js";
import { pyStr } from "../python-values.js";

export { pyRepr, pyStr, pySorted } from "../python-values.js";

/** The `supvisors` namespace, doubles kept as RpcDouble so that `5.0` prints as Python does. */
export function supvisors(ctl: Controller): NamespaceProxy {
  return ctl.proxy("supvisors", { keepDoubles: true });
}

/**
 * `supvisors.get_api_version()` before a command. False, with the plugin's message and exit
 * status, when the command cannot proceed; other failures propagate (the controller reports them
 * as `error: ...`).
 */
export async function supvisorsUpcheck(ctl: Controller): Promise<boolean> {
  try {
    const api = await supvisors(ctl).call("get_api_version");
    if (api !== SUPVISORS_API_VERSION) {
      ctl.output(
        `ERROR: this version of supvisorsctl expects to talk to a server with API version ${SUPVISORS_API_VERSION}, ` +
          `but the remote version is ${pyStr(api)}.`,
      );
      ctl.exitstatus = LsbInit.NOT_INSTALLED;
      return false;
    }
  } catch (e) {
    if (e instanceof XmlRpcFault && e.faultCode === Faults.UNKNOWN_METHOD) {
      // "supervisorstl" is the real plugin's spelling: scripts may match it.
      ctl.output(
        "ERROR: supervisord responded but did not recognize the supvisors namespace commands that supervisorstl " +
          "uses to control it. Please check that the [rpcinterface:supvisors] section is enabled in the " +
          "configuration file.",
      );
      ctl.exitstatus = LsbInit.UNIMPLEMENTED_FEATURE;
      return false;
    }
    if (e instanceof SocketError && e.errnoCode === "ECONNREFUSED") {
      ctl.output(`ERROR: ${ctl.options.serverurl} refused connection`);
      ctl.exitstatus = LsbInit.INSUFFICIENT_PRIVILEGES;
      return false;
    }
    if (e instanceof SocketError && e.errnoCode === "ENOENT") {
      ctl.output(`ERROR: ${ctl.options.serverurl} no such file`);
      ctl.exitstatus = LsbInit.NOT_RUNNING;
      return false;
    }
    throw e;
  }
  return true;
}

/**
 * Runs one call; a fault prints `ERROR (<faultString>)` (or `<item>: ERROR (...)`), sets exit
 * status 1 and gives undefined. Anything else propagates.
 */
export async function callOrReport(ctl: Controller, call: () => Promise<RpcValue>, item?: string): Promise<RpcValue | undefined> {
  try {
    return await call();
  } catch (e) {
    if (!(e instanceof XmlRpcFault)) throw e;
    ctl.output(item === undefined ? `ERROR (${e.faultString})` : `${item}: ERROR (${e.faultString})`);
    ctl.exitstatus = LsbInit.GENERIC;
    return undefined;
  }
}

/** An argument error: the `ERROR: ...` line, exit status 2, then the command's help. */
export function argumentError(ctl: Controller, message: string, help: string): void {
  ctl.output(`ERROR: ${message}`);
  ctl.exitstatus = LsbInit.INVALID_ARGS;
  ctl.output(help);
}

/** A number whether it came as `<int>` or `<double>`. */
export function num(v: RpcValue | undefined): number {
  if (typeof v === "number") return v;
  if (v instanceof RpcDouble) return v.value;
  return Number.NaN;
}

/** The structs of an array answer (anything else is skipped rather than crashing the table). */
export function structs(v: RpcValue | undefined): RpcStruct[] {
  return Array.isArray(v) ? v.filter(isRpcStruct) : [];
}

/** A column: its title, how wide (a number, or "fit" for max(title, values) + 2), its cell. */
export interface Column<R> {
  readonly title: string;
  readonly width: number | "fit";
  readonly cell: (row: R) => string;
  /** The cell is a state name, coloured on a terminal like `status` colours its states. */
  readonly state?: boolean;
}

/**
 * The title line then one line per row, each cell left-justified to its column's width; with
 * `colour`, state names get their colour (the padding, hence the layout, is unchanged).
 */
export function renderTable<R>(columns: readonly Column<R>[], rows: readonly R[], colour = false): string[] {
  const widths = columns.map((c) =>
    c.width === "fit" ? Math.max([...c.title].length, ...rows.map((r) => [...c.cell(r)].length)) + 2 : c.width,
  );
  const title = columns.map((c, i) => ljust(c.title, widths[i]!)).join("");
  const line = (r: R) =>
    columns
      .map((c, i) => {
        const text = c.cell(r);
        const padded = ljust(text, widths[i]!);
        return colour && c.state ? colourState(text, padded) : padded;
      })
      .join("");
  return [title, ...rows.map(line)];
}

/** Prints a table, state names coloured when the ctl colours (a terminal, no NO_COLOR). */
export function outputTable<R>(ctl: Controller, columns: readonly Column<R>[], rows: readonly R[]): void {
  for (const l of renderTable(columns, rows, ctl.io.colour)) ctl.output(l);
}

/** `time.strftime("%H:%M:%S", time.localtime(t))`. */
export function simpleLocaltime(seconds: number): string {
  const d = new Date(seconds * 1000);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

/** Help text as the plugin prints it, without its final newline (like the default commands' help). */
export function helpText(...lines: string[]): string {
  return lines.join("\n");
}

/** The words of an argument that name items; none or `all` means every item. */
export function wantsAll(words: readonly string[]): boolean {
  return words.length === 0 || words.includes("all");
}
