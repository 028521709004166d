/** The rules files (spec §3): reading, lookups, formulas. */
export { loadRules, readRulesText, type LoadRulesContext } from "./load.js";
export { Rules, bestPattern } from "./rules.js";
export { RulesError, type RulesErrorCode } from "./errors.js";
export { parseFormula, evaluateFormula, FormulaSyntaxError, type Formula } from "./formula.js";
