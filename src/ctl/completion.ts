/**
 * Tab completion in the shell, as supervisorctl's Controller.complete: command names first,
 * then group or process names (from getAllProcessInfo, fetched once per command) depending on
 * the command. ':' '*' and '-' are part of words, as the reference removes them from
 * readline's delimiters.
 */
import type { Controller } from "./controller.js";
import { toProcessInfos, type ProcessInfo } from "./rpc-types.js";

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

  constructor(private readonly ctl: Controller) {}

  /** Forget the process list (after each command, as the reference does). */
  reset(): void {
    this.cache = null;
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
    if (command?.completes === "groups") return [groupCandidates(await this.infos(), text), text];
    if (command?.completes === "processes") return [processCandidates(await this.infos(), text), text];
    if (command?.completes === "actions") return [actions(), text];
    return [[], text];
  }
}
