/**
 * What the supvisors control commands (applications, predictions, processes) share: the
 * strategy word that leads their arguments and its error wording, Python's sorted() order, the
 * one-call-per-item loop that reports each fault against its item, and namespecs built from
 * the API's process structs. Kept apart so each command file says only what is its own.
 */
import { StartingStrategies } from "../../protocol/supvisors.js";
import type { RpcStruct, RpcValue } from "../../supervisord/rpc/codec.js";
import type { Controller } from "../controller.js";
import { makeNamespec } from "../namespec.js";
import { pySplit } from "../python-text.js";
import { argumentError, callOrReport, pyRepr, pyStr } from "./common.js";

export { pySorted } from "./common.js";

/** `['CONFIG', 'LESS_LOADED', ...]`: Python's str() of the list of enum names. */
export const STRATEGY_LIST = pyRepr([...StartingStrategies]);

/** What a strategy command checks before any call, and how it words each failure. */
export interface StrategyCheck {
  readonly help: string;
  /** Whether the number of words is acceptable. */
  readonly countOk: (count: number) => boolean;
  readonly countMessage: string;
  /** The message for a word that names no strategy. */
  readonly unknownMessage: (word: string) => string;
}

/** The usual wording; restart_process alone says `unknown strategy=<word>`. */
export const unknownFor = (command: string) => () => `unknown strategy for ${command}. use one of ${STRATEGY_LIST}`;

/**
 * The words of a strategy command, the first one turned into the strategy's numeric value
 * (what the API takes). Undefined after the argument error. Names match exactly, as a Python
 * Enum lookup by name does.
 */
export function strategyWords(ctl: Controller, arg: string, check: StrategyCheck): { strategy: number; rest: string[] } | undefined {
  const words = pySplit(arg);
  if (!check.countOk(words.length)) {
    argumentError(ctl, check.countMessage, check.help);
    return undefined;
  }
  const strategy = (StartingStrategies as readonly string[]).indexOf(words[0]!);
  if (strategy < 0) {
    argumentError(ctl, check.unknownMessage(words[0]!), check.help);
    return undefined;
  }
  return { strategy, rest: words.slice(1) };
}

/**
 * One call per item, each fault reported against the item (exit status 1) without stopping the
 * others; `done` words a success.
 */
export async function eachItem(
  ctl: Controller,
  items: readonly string[],
  call: (item: string) => Promise<RpcValue>,
  done: (item: string, result: RpcValue) => string,
  label: (item: string) => string = (item) => item,
): Promise<void> {
  for (const item of items) {
    const result = await callOrReport(ctl, () => call(item), label(item));
    if (result !== undefined) ctl.output(done(item, result));
  }
}

/** The namespecs of a struct list (`appli:proc`, or `proc` when both names are equal). */
export function namespecsOf(infos: readonly RpcStruct[]): string[] {
  return infos.map((i) => makeNamespec(pyStr(i["application_name"]), pyStr(i["process_name"])));
}
