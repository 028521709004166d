/**
 * The supvisors commands that start and stop applications and processes (spec §10), gathered
 * from the files that hold them: applications, start predictions (test_start_*), processes
 * (with the local `start_args` and the `all_start*` fan-out) and the program controls
 * (numprocs, enable, disable), then our rolling_restart. They are listed one by one because the plugin's order, kept as
 * it always was, interleaves those files; pyInt is re-exported for the tests that import it
 * from here.
 */
import type { CtlCommand } from "../plugin.js";
import { restartApplication, startApplication, stopApplication } from "./application-commands.js";
import { testStartApplication, testStartProcess } from "./prediction-commands.js";
import {
  allStart,
  allStartArgs,
  restartProcess,
  startAnyProcess,
  startAnyProcessArgs,
  startArgs,
  startProcess,
  startProcessArgs,
  stopProcess,
} from "./process-commands.js";
import { disable, enable, lazyUpdateNumprocs, updateNumprocs } from "./program-commands.js";
import { rollingRestart } from "./rolling-commands.js";

export { pyInt } from "./program-commands.js";

export const controlCommands: readonly CtlCommand[] = [
  startApplication,
  testStartApplication,
  restartApplication,
  stopApplication,
  startArgs,
  allStart,
  allStartArgs,
  startProcess,
  testStartProcess,
  startAnyProcess,
  startProcessArgs,
  startAnyProcessArgs,
  stopProcess,
  restartProcess,
  updateNumprocs,
  lazyUpdateNumprocs,
  enable,
  disable,
  // Ours, after Supvisors' own.
  rollingRestart,
];
