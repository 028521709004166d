/**
 * Tab completion in the shell, as supervisorctl's Controller.complete: command names first,
 * then group or process names (from getAllProcessInfo, fetched once per command) depending on
 * the command. ':' '*' and '-' are part of words, as the reference removes them from
 * readline's delimiters.
 */
import { ConciliationStrategies, StartingStrategies } from "../protocol/supvisors.js";
import { isRpcStruct, type RpcValue } from "../supervisord/rpc/codec.js";
import type { Controller } from "./controller.js";
import type { CompletionKind } from "./plugin.js";
import { LOG_LEVELS } from "./supvisors/cluster-commands.js";
import { toProcessInfos, type ProcessInfo } from "./rpc-types.js";

/** The fixed word lists of the supvisors commands. */
const FIXED_WORDS: Partial<Record<CompletionKind, readonly string[]>> = {
  "starting-strategies": StartingStrategies,
  "conciliation-strategies": ConciliationStrategies,
  "log-levels": LOG_LEVELS.map(([name]) => name),
  "stats-kinds": ["host", "process", "all"],
};

/** The kind for the argument at `position` (0 = first): one kind for all, or the last one repeating. */
export function kindAt(completes: CompletionKind | readonly CompletionKind[] | undefined, position: number): CompletionKind | undefined {
  if (completes === undefined || typeof completes === "string") return completes as CompletionKind | undefined;
  return completes[Math.min(position, completes.length - 1)];
}

/** The string values of `key` in the structs of an array answer. */
function column(answer: RpcValue, ...keys: string[]): string[] {
  const out: string[] = [];
  if (!Array.isArray(answer)) return out;
  for (const row of answer) {
    if (!isRpcStruct(row)) continue;
    for (const k of keys) if (typeof row[k] === "string") out.push(row[k]);
  }
  return out;
}

/** GNU readline's default word delimiters minus ':', '*' and '-'. */
const DELIMS = new Set([..." \t\n\"\\'`@$><=;|&{("]);

/** The word being completed: the text after the last delimiter. */
export function currentWord(line: string): string {
  let i = line.length;
  while (i > 0 && !DELIMS.has(line[i - 1]!)) i--;
  return line.slice(i);
}

export function processCandidates(infos: readonly ProcessInfo[], text: string): string[] {
  const out: string[] = [];
  for (const info of infos) {
    if (text.includes(":") || info.name !== info.group) {
      out.push(`${info.group}:${info.name}`);
      if (!out.includes(`${info.group}:*`)) out.push(`${info.group}:*`);
    } else {
      out.push(info.name);
    }
  }
  return out.filter((p) => p.startsWith(text)).map((p) => p + " ");
}

export function groupCandidates(infos: readonly ProcessInfo[], text: string): string[] {
  const groups: string[] = [];
  for (const info of infos) if (!groups.includes(info.group)) groups.push(info.group);
  return groups.filter((g) => g.startsWith(text)).map((g) => g + " ");
}

export class Completer {
  private cache: ProcessInfo[] | null = null;
  private readonly supvisorsCache = new Map<CompletionKind, string[]>();

  constructor(private readonly ctl: Controller) {}

  /** Forget the process list (after each command, as the reference does). */
  reset(): void {
    this.cache = null;
    this.supvisorsCache.clear();
  }

  /** Words of a supvisors kind, from the supvisors namespace once per command; none on failure. */
  private async supvisorsWords(kind: CompletionKind): Promise<string[]> {
    const fixed = FIXED_WORDS[kind];
    if (fixed) return [...fixed];
    const cached = this.supvisorsCache.get(kind);
    if (cached) return cached;
    let words: string[] = [];
    try {
      const sv = this.ctl.proxy("supvisors");
      if (kind === "applications") words = column(await sv.call("get_all_applications_info"), "application_name");
      if (kind === "instances") words = column(await sv.call("get_all_instances_info"), "identifier", "nick_identifier");
      if (kind === "namespecs") {
        const answer = await sv.call("get_all_process_info");
        for (const row of Array.isArray(answer) ? answer : []) {
          if (!isRpcStruct(row) || typeof row["application_name"] !== "string" || typeof row["process_name"] !== "string") continue;
          const app = row["application_name"];
          if (!words.includes(`${app}:*`)) words.push(`${app}:*`);
          words.push(`${app}:${row["process_name"]}`);
        }
      }
    } catch {
      // A shell without a Supvisors server behind it simply completes nothing.
      words = [];
    } finally {
      this.ctl.closeConnections();
    }
    this.supvisorsCache.set(kind, words);
    return words;
  }

  private async infos(): Promise<ProcessInfo[]> {
    if (this.cache === null) {
      try {
        this.cache = toProcessInfos(await this.ctl.supervisor().call("getAllProcessInfo"));
      } finally {
        this.ctl.closeConnections();
      }
    }
    return this.cache;
  }

  /** readline's completer: [candidates, the word they replace]. */
  async complete(line: string): Promise<[string[], string]> {
    const text = currentWord(line);
    const actions = () => [...new Set(this.ctl.vocabulary())].filter((a) => a.startsWith(text)).map((a) => a + " ");
    if (!line.trim()) return [actions(), text];
    const words = line.split(/\s+/).filter((w) => w !== "");
    if (words.length === 1 && !/\s$/.test(line)) return [actions(), text];
    const action = words[0]!;
    if (action === "help") return [actions(), text];
    const command = this.ctl.table.find(action);
    // Arguments already complete before the word being typed.
    const position = words.length - 1 - (/\s$/.test(line) ? 0 : 1);
    const kind = kindAt(command?.completes, position);
    if (kind === "groups") return [groupCandidates(await this.infos(), text), text];
    if (kind === "processes") return [processCandidates(await this.infos(), text), text];
    if (kind === "actions") return [actions(), text];
    if (kind === undefined) return [[], text];
    const candidates = [...new Set(await this.supvisorsWords(kind))].filter((w) => w.startsWith(text)).map((w) => w + " ");
    return [candidates, text];
  }
}
