/**
 * The rules read from the rules files, and their lookups (spec §3.4): an application by exact
 * name (first file wins) else by its best pattern; a program by exact process name within its
 * application element, else by the best of that element's patterns. Best pattern = the longest
 * unanchored regex match, the first one on ties. Unmatched names get the defaults.
 */
import type { StartingStrategy } from "../../protocol/supvisors.js";
import type { ApplicationRulesData, ProcessRulesData, RulesLookup } from "../types.js";
import { evaluateFormula, type Formula } from "./formula.js";

/** An `<application>` element, read. */
export interface ApplicationEntry {
  readonly name: string | null;
  readonly pattern: RegExp | null;
  readonly patternText: string;
  readonly rules: ApplicationRulesData;
  readonly formula: Formula | null;
  readonly programsByName: ReadonlyMap<string, ProgramEntry>;
  readonly programPatterns: readonly ProgramEntry[];
}

/** A `<program>` element, read (its model references applied); fields absent stay undefined. */
export interface ProgramEntry {
  readonly name: string | null;
  readonly pattern: RegExp | null;
  readonly fields: Partial<ProcessRulesData>;
}

/** The best pattern among entries for a name: longest match, first on ties (spec §3.4). */
export function bestPattern<T extends { readonly pattern: RegExp | null }>(entries: readonly T[], name: string): T | undefined {
  let best: T | undefined;
  let bestLength = -1;
  for (const e of entries) {
    const m = e.pattern?.exec(name);
    if (m && m[0].length > bestLength) {
      best = e;
      bestLength = m[0].length;
    }
  }
  return best;
}

export class Rules implements RulesLookup {
  constructor(
    private readonly byName: ReadonlyMap<string, ApplicationEntry>,
    private readonly patterns: readonly ApplicationEntry[],
    private readonly defaults: { readonly startingStrategy: StartingStrategy; readonly anyFile: boolean },
  ) {}

  /** The application element that governs a group, if any. */
  entryOf(application: string): ApplicationEntry | undefined {
    return this.byName.get(application) ?? bestPattern(this.patterns, application);
  }

  applicationRules(application: string): ApplicationRulesData {
    const e = this.entryOf(application);
    if (e) return e.rules;
    // Unmanaged: with no rules file at all, its stop rank is -1 (stopped last), else 0 (spec §3.7).
    const rank = this.defaults.anyFile ? 0 : -1;
    return {
      managed: false,
      distribution: "ALL_INSTANCES",
      identifiers: ["*"],
      startSequence: 0,
      stopSequence: rank,
      startingStrategy: this.defaults.startingStrategy,
      startingFailureStrategy: "ABORT",
      runningFailureStrategy: "CONTINUE",
      statusFormula: "",
    };
  }

  processRules(application: string, processName: string): ProcessRulesData {
    const app = this.applicationRules(application);
    const e = this.entryOf(application);
    const program = e ? (e.programsByName.get(processName) ?? bestPattern(e.programPatterns, processName)) : undefined;
    const f = program?.fields ?? {};
    const fromPattern = program !== undefined && program.name === null;
    let identifiers = f.identifiers ?? ["*"];
    let hashSign = f.hashSign ?? "none";
    // `#` and `@` only mean something in pattern rules (spec §3.4); a named rule gets `*`.
    if (!fromPattern && hashSign !== "none") {
      hashSign = "none";
      identifiers = ["*"];
    }
    const startSequence = f.startSequence ?? 0;
    return {
      identifiers,
      hashSign,
      startSequence,
      stopSequence: f.stopSequence ?? startSequence,
      // required is forced false outside the start sequence (spec §3.3).
      required: (f.required ?? false) && startSequence > 0,
      waitExit: f.waitExit ?? false,
      expectedLoading: f.expectedLoading ?? 0,
      startingFailureStrategy: f.startingFailureStrategy ?? app.startingFailureStrategy,
      runningFailureStrategy: f.runningFailureStrategy ?? app.runningFailureStrategy,
    };
  }

  evaluateStatus(application: string, statuses: ReadonlyMap<string, boolean>): boolean | "error" | null {
    const e = this.entryOf(application);
    if (!e?.formula) return null;
    return evaluateFormula(e.formula, statuses);
  }

  /** get_application_rules' payload, without application_name (spec §5.2). */
  applicationRulesPayload(application: string): Record<string, unknown> {
    const r = this.applicationRules(application);
    if (!r.managed) return { managed: false };
    return {
      managed: true,
      distribution: r.distribution,
      identifiers: [...r.identifiers],
      start_sequence: r.startSequence,
      stop_sequence: r.stopSequence,
      starting_strategy: r.startingStrategy,
      starting_failure_strategy: r.startingFailureStrategy,
      running_failure_strategy: r.runningFailureStrategy,
      status_formula: r.statusFormula,
    };
  }

  /** get_process_rules' payload, without names; identifiers empty while `#`/`@` are unresolved. */
  processRulesPayload(application: string, processName: string): Record<string, unknown> {
    const r = this.processRules(application, processName);
    return {
      identifiers: r.hashSign === "none" ? [...r.identifiers] : [],
      start_sequence: r.startSequence,
      stop_sequence: r.stopSequence,
      required: r.required,
      wait_exit: r.waitExit,
      expected_loading: r.expectedLoading,
      starting_failure_strategy: r.startingFailureStrategy,
      running_failure_strategy: r.runningFailureStrategy,
    };
  }
}
