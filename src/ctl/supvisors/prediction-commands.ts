/**
 * The supvisors commands that predict a start without doing it (spec §10): test_start_application
 * and test_start_process, which print the Master's DistributionPrediction as a table. The
 * application is checked first, with the reference plugin's wording and exit statuses.
 */
import { isRpcStruct, type RpcStruct, type RpcValue } from "../../supervisord/rpc/codec.js";
import type { Controller } from "../controller.js";
import { XmlRpcFault } from "../errors.js";
import { LsbInit } from "../exit-status.js";
import type { CtlCommand } from "../plugin.js";
import { callOrReport, helpText, outputTable, pyStr, structs, supvisors, supvisorsUpcheck, type Column } from "./common.js";
import { strategyWords, unknownFor } from "./control-shared.js";

/** The DistributionPrediction table: fitted name columns, the predicted state, the reason last. */
const PREDICTION_COLUMNS: readonly Column<RpcStruct>[] = [
  { title: "Application", width: "fit", cell: (r) => pyStr(r["application_name"]) },
  { title: "Process", width: "fit", cell: (r) => pyStr(r["process_name"]) },
  { title: "State", width: 12, cell: (r) => pyStr(r["state"]), state: true },
  { title: "Supervisor", width: "fit", cell: (r) => pyStr(r["running_identifiers"]) },
  { title: "Reason", width: 0, cell: (r) => pyStr(r["forced_reason"]) },
];

/** Runs a test_start_* call; its fault is reported against `item`, else the table is printed. */
async function printPrediction(ctl: Controller, item: string, call: () => Promise<RpcValue>): Promise<void> {
  const predictions = await callOrReport(ctl, call, item);
  if (predictions !== undefined) outputTable(ctl, PREDICTION_COLUMNS, structs(predictions));
}

const TEST_START_APPLICATION_HELP = helpText(
  "test_start_application <strategy> <appli>\t\tTest the starting of the managed application named appli with strategy.",
  "test_start_application <strategy>\t\t\tTest the starting of all managed applications with strategy.",
);

/**
 * The application is looked up first. Any fault there reads as an unknown application (exit
 * status 2, no help); an unmanaged one prints the help but, as in the reference, leaves the
 * exit status alone.
 */
async function testableApplication(ctl: Controller, name: string): Promise<boolean> {
  let info: RpcValue;
  try {
    info = await supvisors(ctl).call("get_application_info", name);
  } catch (e) {
    if (!(e instanceof XmlRpcFault)) throw e;
    ctl.output(`ERROR: unknown application "${name}"`);
    ctl.exitstatus = LsbInit.INVALID_ARGS;
    return false;
  }
  if (!isRpcStruct(info) || info["managed"] !== true) {
    ctl.output(`ERROR: ${name} unmanaged`);
    ctl.output(TEST_START_APPLICATION_HELP);
    return false;
  }
  return true;
}

export const testStartApplication: CtlCommand = {
  name: "test_start_application",
  help: TEST_START_APPLICATION_HELP,
  completes: ["starting-strategies", "applications"],
  run: async (ctl, arg) => {
    if (!(await supvisorsUpcheck(ctl))) return;
    const args = strategyWords(ctl, arg, {
      help: TEST_START_APPLICATION_HELP,
      countOk: (n) => n === 2,
      countMessage: "test_start_application requires one strategy and one application name",
      unknownMessage: unknownFor("test_start_application"),
    });
    if (!args) return;
    const name = args.rest[0]!;
    if (!(await testableApplication(ctl, name))) return;
    await printPrediction(ctl, name, () => supvisors(ctl).call("test_start_application", args.strategy, name));
  },
};

const TEST_START_PROCESS_HELP = helpText(
  "test_start_process <strategy> <proc>\t\t\tStart the process named proc with strategy.",
  "test_start_process <strategy>\t\t\tStart all processes with strategy.",
);

export const testStartProcess: CtlCommand = {
  name: "test_start_process",
  help: TEST_START_PROCESS_HELP,
  completes: ["starting-strategies", "namespecs"],
  run: async (ctl, arg) => {
    if (!(await supvisorsUpcheck(ctl))) return;
    const args = strategyWords(ctl, arg, {
      help: TEST_START_PROCESS_HELP,
      countOk: (n) => n === 2,
      countMessage: "test_start_process requires one strategy and one namespec",
      unknownMessage: unknownFor("test_start_process"),
    });
    if (!args) return;
    const namespec = args.rest[0]!;
    await printPrediction(ctl, namespec, () => supvisors(ctl).call("test_start_process", args.strategy, namespec));
  },
};
