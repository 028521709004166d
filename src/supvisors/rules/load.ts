/**
 * Reading the rules files (spec §3.1-3.6): `<alias>`, `<model>`, `<application name|pattern>` with
 * `<programs><program name|pattern>`. Files are merged in order: aliases, models and patterns
 * accumulate (the same name or pattern: the last file wins); an application by exact name comes
 * from the first file that has it. Every bad value stops start-up with a RulesError naming the
 * file, line, element and value (Supvisors logs most of them and goes on with a default; a user
 * who wrote a value wants it, not a default).
 */
import { readFile } from "node:fs/promises";
import {
  DistributionRules,
  RunningFailureStrategies,
  StartingFailureStrategies,
  StartingStrategies,
  type StartingStrategy,
} from "../../protocol/supvisors.js";
import type { ApplicationRulesData, ProcessRulesData } from "../types.js";
import { RulesError } from "./errors.js";
import { FormulaSyntaxError, parseFormula, type Formula } from "./formula.js";
import { Rules, type ApplicationEntry, type ProgramEntry } from "./rules.js";
import { parseXmlTree, type XmlElement } from "./xml-tree.js";

export interface LoadRulesContext {
  /** The `starting_strategy` option: the default of `<starting_strategy>`. */
  readonly startingStrategy?: StartingStrategy;
  /** Findings that do not stop start-up (unknown names in identifiers...). */
  readonly warn?: (text: string) => void;
}

/** Reference chains deeper than this are refused (Supvisors' LOOP_CHECK). */
const MAX_REFERENCE_DEPTH = 3;

const APPLICATION_CHILDREN = new Set(["distribution", "identifiers", "start_sequence", "stop_sequence", "starting_strategy", "starting_failure_strategy", "running_failure_strategy", "operational_status", "programs"]);
const PROGRAM_CHILDREN = new Set(["reference", "identifiers", "start_sequence", "stop_sequence", "required", "wait_exit", "expected_loading", "starting_failure_strategy", "running_failure_strategy"]);
const TRUE = new Set(["true", "yes", "on", "1", "t", "y"]);
const FALSE = new Set(["false", "no", "off", "0", "f", "n"]);

class FileReader {
  constructor(readonly file: string) {}

  /** `el` is named in the message; the line is `at`'s (the bad child's own line, when there is one). */
  fail(code: ConstructorParameters<typeof RulesError>[0], el: XmlElement, message: string, at: XmlElement = el): never {
    throw new RulesError(code, `${describe(el)}: ${message}`, this.file, at.line || el.line || undefined);
  }

  sequence(el: XmlElement, owner: XmlElement): number {
    if (!/^\s*\d+\s*$/.test(el.text) || Number(el.text) > 127) this.fail("BAD_VALUE", owner, `invalid value for ${el.tag}: ${JSON.stringify(el.text)} (integer in 0..127 expected)`, el);
    return Number(el.text);
  }

  loading(el: XmlElement, owner: XmlElement): number {
    if (!/^\s*\d+\s*$/.test(el.text) || Number(el.text) > 100) this.fail("BAD_VALUE", owner, `invalid value for ${el.tag}: ${JSON.stringify(el.text)} (integer in 0..100 expected)`, el);
    return Number(el.text);
  }

  boolean(el: XmlElement, owner: XmlElement): boolean {
    const v = el.text.toLowerCase();
    if (TRUE.has(v)) return true;
    if (FALSE.has(v)) return false;
    return this.fail("BAD_VALUE", owner, `invalid value for ${el.tag}: ${JSON.stringify(el.text)} (boolean expected)`, el);
  }

  literal<T extends string>(el: XmlElement, owner: XmlElement, allowed: readonly T[]): T {
    if ((allowed as readonly string[]).includes(el.text)) return el.text as T;
    return this.fail("BAD_VALUE", owner, `invalid value for ${el.tag}: ${JSON.stringify(el.text)} (one of ${allowed.join(", ")} expected)`, el);
  }
}

function describe(el: XmlElement): string {
  const attrs = Object.entries(el.attrs)
    .map(([k, v]) => ` ${k}="${v}"`)
    .join("");
  return `<${el.tag}${attrs}>`;
}

function compilePattern(r: FileReader, el: XmlElement, text: string): RegExp {
  try {
    return new RegExp(text);
  } catch (err) {
    return r.fail("BAD_VALUE", el, `invalid pattern ${JSON.stringify(text)}: ${(err as Error).message}`);
  }
}

/** Aliases expanded in place, in declaration order (an alias may use one declared before it). */
function expandAliases(items: string[], aliases: ReadonlyMap<string, readonly string[]>): string[] {
  let out = items;
  for (const [name, content] of aliases) out = out.flatMap((x) => (x === name ? [...content] : [x]));
  return out;
}

interface IdentifiersValue {
  readonly identifiers: string[];
  readonly hashSign: ProcessRulesData["hashSign"];
}

function parseIdentifiers(text: string, aliases: ReadonlyMap<string, readonly string[]>): IdentifiersValue {
  const items = expandAliases(
    text
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s.length > 0),
    aliases,
  );
  const hasAt = items.includes("@");
  const hasHash = items.includes("#");
  const rest = [...new Set(items.filter((x) => x !== "#" && x !== "@"))];
  const identifiers = rest.length === 0 || rest.includes("*") ? ["*"] : rest;
  return { identifiers, hashSign: hasAt ? "@" : hasHash ? "#" : "none" };
}

interface Definitions {
  readonly aliases: Map<string, readonly string[]>;
  /** Models by name, with the file they came from. */
  readonly models: Map<string, { readonly el: XmlElement; readonly reader: FileReader }>;
}

function readProgramFields(reader: FileReader, el: XmlElement, defs: Definitions, depth: number, seen: readonly string[]): Partial<ProcessRulesData> {
  let fields: Partial<ProcessRulesData> = {};
  const ref = el.children.find((c) => c.tag === "reference");
  if (ref) {
    const model = defs.models.get(ref.text);
    if (!model) reader.fail("BAD_REFERENCE", el, `reference to an unknown model ${JSON.stringify(ref.text)}`);
    if (seen.includes(ref.text)) reader.fail("BAD_REFERENCE", el, `reference cycle through model ${JSON.stringify(ref.text)}`);
    if (depth >= MAX_REFERENCE_DEPTH) reader.fail("BAD_REFERENCE", el, `reference chain deeper than ${MAX_REFERENCE_DEPTH} models`);
    fields = readProgramFields(model.reader, model.el, defs, depth + 1, [...seen, ref.text]);
  }
  const own: { -readonly [K in keyof ProcessRulesData]?: ProcessRulesData[K] } = {};
  for (const c of el.children) {
    if (!PROGRAM_CHILDREN.has(c.tag)) reader.fail("UNKNOWN_ELEMENT", el, `unknown element <${c.tag}>`, c);
    switch (c.tag) {
      case "identifiers": {
        const v = parseIdentifiers(c.text, defs.aliases);
        own.identifiers = v.identifiers;
        own.hashSign = v.hashSign;
        break;
      }
      case "start_sequence":
        own.startSequence = reader.sequence(c, el);
        break;
      case "stop_sequence":
        own.stopSequence = reader.sequence(c, el);
        break;
      case "required":
        own.required = reader.boolean(c, el);
        break;
      case "wait_exit":
        own.waitExit = reader.boolean(c, el);
        break;
      case "expected_loading":
        own.expectedLoading = reader.loading(c, el);
        break;
      case "starting_failure_strategy":
        own.startingFailureStrategy = reader.literal(c, el, StartingFailureStrategies);
        break;
      case "running_failure_strategy":
        own.runningFailureStrategy = reader.literal(c, el, RunningFailureStrategies);
        break;
    }
  }
  return { ...fields, ...own };
}

function readApplication(reader: FileReader, el: XmlElement, defs: Definitions, defaultStrategy: StartingStrategy): ApplicationEntry {
  const name = el.attrs.name ?? null;
  const patternText = el.attrs.pattern ?? "";
  if (name === null && !el.attrs.pattern) reader.fail("MISSING_NAME", el, "a name or pattern attribute is required");
  const pattern = name === null ? compilePattern(reader, el, patternText) : null;
  const v: { -readonly [K in keyof ApplicationRulesData]?: ApplicationRulesData[K] } = {};
  let formula: Formula | null = null;
  const programsByName = new Map<string, ProgramEntry>();
  const programPatterns: ProgramEntry[] = [];
  for (const c of el.children) {
    if (!APPLICATION_CHILDREN.has(c.tag)) reader.fail("UNKNOWN_ELEMENT", el, `unknown element <${c.tag}>`, c);
    switch (c.tag) {
      case "distribution":
        v.distribution = reader.literal(c, el, DistributionRules);
        break;
      case "identifiers": {
        const ids = parseIdentifiers(c.text, defs.aliases);
        if (ids.hashSign === "@") reader.fail("BAD_VALUE", el, `invalid value for identifiers: ${JSON.stringify(c.text)} ('@' is not supported for applications)`);
        v.identifiers = ids.hashSign === "#" ? ["#", ...ids.identifiers] : ids.identifiers;
        break;
      }
      case "start_sequence":
        v.startSequence = reader.sequence(c, el);
        break;
      case "stop_sequence":
        v.stopSequence = reader.sequence(c, el);
        break;
      case "starting_strategy":
        v.startingStrategy = reader.literal(c, el, StartingStrategies);
        break;
      case "starting_failure_strategy":
        v.startingFailureStrategy = reader.literal(c, el, StartingFailureStrategies);
        break;
      case "running_failure_strategy":
        v.runningFailureStrategy = reader.literal(c, el, RunningFailureStrategies);
        break;
      case "operational_status":
        try {
          formula = parseFormula(c.text);
        } catch (err) {
          if (err instanceof FormulaSyntaxError) reader.fail("BAD_FORMULA", el, `invalid operational_status ${JSON.stringify(c.text)}: ${err.message}`, c);
          throw err;
        }
        v.statusFormula = c.text;
        break;
      case "programs":
        for (const p of c.children) {
          if (p.tag !== "program") reader.fail("UNKNOWN_ELEMENT", c, `unknown element <${p.tag}> (only <program> here)`);
          const pname = p.attrs.name ?? null;
          if (pname === null && !p.attrs.pattern) reader.fail("MISSING_NAME", p, "a name or pattern attribute is required");
          const entry: ProgramEntry = { name: pname, pattern: pname === null ? compilePattern(reader, p, p.attrs.pattern!) : null, fields: readProgramFields(reader, p, defs, 0, []) };
          if (pname !== null) programsByName.set(pname, entry);
          else programPatterns.push(entry);
        }
        break;
    }
  }
  const startSequence = v.startSequence ?? 0;
  const rules: ApplicationRulesData = {
    managed: true,
    distribution: v.distribution ?? "ALL_INSTANCES",
    identifiers: v.identifiers ?? ["*"],
    startSequence,
    stopSequence: v.stopSequence ?? startSequence,
    startingStrategy: v.startingStrategy ?? defaultStrategy,
    startingFailureStrategy: v.startingFailureStrategy ?? "ABORT",
    runningFailureStrategy: v.runningFailureStrategy ?? "CONTINUE",
    statusFormula: v.statusFormula ?? "",
  };
  return { name, pattern, patternText, rules, formula, programsByName, programPatterns };
}

/** Parses one file's text (exported for tests). */
export function readRulesText(
  text: string,
  file: string,
  defs: Definitions,
  out: { byName: Map<string, ApplicationEntry>; patterns: Map<string, ApplicationEntry> },
  defaultStrategy: StartingStrategy,
): void {
  const root = parseXmlTree(text, file);
  const reader = new FileReader(file);
  if (root.tag !== "root") reader.fail("UNKNOWN_ELEMENT", root, "the root element must be <root>");
  // Aliases and models first, so an application may use one declared further down.
  for (const el of root.children) {
    if (el.tag === "alias") {
      if (!el.attrs.name) reader.fail("MISSING_NAME", el, "a name attribute is required");
      defs.aliases.set(el.attrs.name, expandAliases(el.text.split(",").map((s) => s.trim()).filter(Boolean), defs.aliases));
    } else if (el.tag === "model") {
      if (!el.attrs.name) reader.fail("MISSING_NAME", el, "a name attribute is required");
      defs.models.set(el.attrs.name, { el, reader });
    } else if (el.tag !== "application") {
      reader.fail("UNKNOWN_ELEMENT", el, `unknown element <${el.tag}> (alias, model or application expected)`);
    }
  }
  // Check every model on its own, so a broken model is reported even when no program uses it.
  for (const el of root.children) if (el.tag === "model") readProgramFields(reader, el, defs, 0, [el.attrs.name!]);
  for (const el of root.children) {
    if (el.tag !== "application") continue;
    const entry = readApplication(reader, el, defs, defaultStrategy);
    if (entry.name !== null) {
      if (!out.byName.has(entry.name)) out.byName.set(entry.name, entry);
    } else {
      out.patterns.delete(entry.patternText);
      out.patterns.set(entry.patternText, entry);
    }
  }
}

export async function loadRules(files: readonly string[], ctx: LoadRulesContext = {}): Promise<Rules> {
  const defs: Definitions = { aliases: new Map(), models: new Map() };
  const out = { byName: new Map<string, ApplicationEntry>(), patterns: new Map<string, ApplicationEntry>() };
  const strategy = ctx.startingStrategy ?? "CONFIG";
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (err) {
      throw new RulesError("READ_FAILED", `cannot read the rules file: ${(err as Error).message}`, file, undefined);
    }
    readRulesText(text, file, defs, out, strategy);
  }
  return new Rules(out.byName, [...out.patterns.values()], { startingStrategy: strategy, anyFile: files.length > 0 });
}
