/** supervisorctl's own command set, registered as the "default" plugin. */
import type { CtlPlugin } from "../plugin.js";
import { configCommands } from "./config-commands.js";
import { daemonCommands } from "./daemon-commands.js";
import { fgCommand } from "./fg.js";
import { logCommands } from "./logs.js";
import { processControlCommands } from "./process-control.js";
import { statusCommand } from "./status.js";

export const defaultPlugin: CtlPlugin = {
  name: "default",
  commands: [statusCommand, ...processControlCommands, ...logCommands, ...configCommands, ...daemonCommands, fgCommand],
};
