/**
 * The statistics controls of the `supvisors.*` API (spec §5.3 "Statistics control", §9.4): per
 * instance, not persisted, NOT_INSTALLED where this instance cannot measure (no /proc, as
 * Supvisors without psutil). Unlike Supvisors 0.19, update_collecting_period really changes the
 * collector's period, so it checks the value against the option's range (1-3600 s) instead of
 * taking anything: a period of 0 would make the collector read without pause.
 */
import { Faults, SupvisorsFaultCodes } from "../../protocol/faults.js";
import { ServiceFault } from "../../supervisord/service/fault.js";
import { type ParamValue, pythonText, pythonTypeOf } from "./params.js";
import { truthy } from "./supvisors-control.js";

export interface StatisticsControlPort {
  readonly installed: boolean;
  enableHost(on: boolean): void;
  enableProcess(on: boolean): void;
  setCollectingPeriod(seconds: number): void;
  log(level: "error" | "warn" | "info", text: string): void;
}

export const MIN_COLLECTING_PERIOD = 1;
export const MAX_COLLECTING_PERIOD = 3600;

export class StatisticsControl {
  constructor(private readonly port: StatisticsControlPort) {}

  private checkInstalled(method: string): void {
    if (this.port.installed) return;
    this.port.log("error", `RPCInterface.${method}: statistics cannot be collected here (no /proc)`);
    throw new ServiceFault(SupvisorsFaultCodes.NOT_INSTALLED, "statistics cannot be collected here (no /proc)");
  }

  enableHostStatistics(enable: ParamValue): boolean {
    return this.enable("enable_host_statistics", "host", enable, (on) => this.port.enableHost(on));
  }

  enableProcessStatistics(enable: ParamValue): boolean {
    return this.enable("enable_process_statistics", "process", enable, (on) => this.port.enableProcess(on));
  }

  /** The flag as Python tests it (Supvisors takes any value and uses its truth). */
  private enable(method: string, kind: "host" | "process", enable: ParamValue, apply: (on: boolean) => void): boolean {
    this.checkInstalled(method);
    const on = truthy(enable, true);
    apply(on);
    this.port.log("info", `Supvisors: ${kind} statistics ${on ? "enabled" : "disabled"}`);
    return true;
  }

  updateCollectingPeriod(period: ParamValue): boolean {
    this.checkInstalled("update_collecting_period");
    if (typeof period !== "number" || !Number.isFinite(period)) {
      throw new ServiceFault(Faults.INCORRECT_PARAMETERS, `invalid collecting_period=${pythonText(period)} type=${pythonTypeOf(period)} - type float expected`);
    }
    if (period < MIN_COLLECTING_PERIOD || period > MAX_COLLECTING_PERIOD) {
      throw new ServiceFault(Faults.INCORRECT_PARAMETERS, `invalid collecting_period=${period} - float expected in [${MIN_COLLECTING_PERIOD}; ${MAX_COLLECTING_PERIOD}]`);
    }
    this.port.setCollectingPeriod(period);
    this.port.log("info", `Supvisors: statistics collecting period set to ${period} s`);
    return true;
  }
}
