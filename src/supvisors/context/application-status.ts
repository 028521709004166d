/**
 * One application (a supervisord group) as Supvisors sees it (spec §4.8): its state from the
 * displayed states of all its processes, and its major / minor failures from the `required`
 * rules or the operational_status formula.
 */
import { ApplicationStates, type ApplicationStateName } from "../../protocol/supvisors.js";
import { ProcessStates } from "../../supervisord/process/states.js";
import type { ApplicationRulesData, RulesLookup } from "../types.js";
import type { ProcessStatus } from "./process-status.js";

const S = ProcessStates;

export class ApplicationStatus {
  readonly processes = new Map<string, ProcessStatus>();
  state: ApplicationStateName = "STOPPED";
  majorFailure = false;
  minorFailure = false;

  constructor(
    readonly name: string,
    public rules: ApplicationRulesData,
  ) {}

  /** Recomputes state and failures after any change of one of its processes. */
  evaluate(lookup: RulesLookup): void {
    const displayed = [...this.processes.values()].map((p) => p.displayedState);
    if (displayed.includes(S.STOPPING)) this.state = "STOPPING";
    else if (displayed.some((s) => s === S.STARTING || s === S.BACKOFF)) this.state = "STARTING";
    else if (displayed.includes(S.RUNNING)) this.state = "RUNNING";
    else this.state = "STOPPED";

    this.majorFailure = false;
    this.minorFailure = false;
    const failed = (p: ProcessStatus) => p.displayedState === S.FATAL || p.displayedState === S.UNKNOWN || (p.displayedState === S.EXITED && !p.expectedExit);
    // Spec §4.8: for a managed application every process counts as in the start sequence, whatever
    // its rank; an unmanaged one has none.
    const inStartSequence = (_p: ProcessStatus) => this.rules.managed;
    const statuses = new Map([...this.processes.values()].map((p) => [p.name, p.displayedState === S.RUNNING || p.displayedState === S.STARTING || p.displayedState === S.BACKOFF || (p.displayedState === S.EXITED && p.expectedExit)] as const));
    const formula = this.rules.managed ? lookup.evaluateStatus(this.name, statuses) : null;
    if (formula !== null) {
      this.majorFailure = formula === "error" || formula === false;
      if (!this.majorFailure) this.minorFailure = [...this.processes.values()].some((p) => inStartSequence(p) && failed(p));
      return;
    }
    for (const p of this.processes.values()) {
      if (failed(p)) {
        if (p.rules.required) this.majorFailure = true;
        else if (inStartSequence(p)) this.minorFailure = true;
      } else if (p.rules.required && p.displayedState === S.STOPPED && this.state !== "STOPPED") {
        this.majorFailure = true;
      }
    }
    if (this.majorFailure) this.minorFailure = false;
  }

  /** ApplicationInfo (spec §5.2). */
  payload(nowMs: number): Record<string, unknown> {
    return {
      application_name: this.name,
      managed: this.rules.managed,
      now_monotonic: nowMs / 1000,
      statecode: ApplicationStates[this.state],
      statename: this.state,
      major_failure: this.majorFailure,
      minor_failure: this.minorFailure,
    };
  }
}
