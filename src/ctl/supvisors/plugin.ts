/**
 * The supvisors plugin of the ctl (spec §10): loaded by supvisorsctl always, and by
 * supervisorctl when its config has `[ctlplugin:supvisors]`, as Supvisors' own plugin is.
 */
import { SUPVISORS_CTL_FACTORY, SupvisorsFaults } from "../../protocol/supvisors.js";
import { makeNamespec } from "../namespec.js";
import type { CtlPlugin } from "../plugin.js";
import { clusterCommands } from "./cluster-commands.js";
import { controlCommands } from "./control-commands.js";
import { statusCommands } from "./status-commands.js";

export { SUPVISORS_CTL_FACTORY };

export const supvisorsPlugin: CtlPlugin = {
  name: "supvisors",
  commands: [...statusCommands, ...controlCommands, ...clusterCommands],
  // supervisorctl's `start` has no wording for a disabled program: the plugin gives it one.
  startResult: (r) => (r.status === SupvisorsFaults.DISABLED ? `${makeNamespec(r.group, r.name)}: ERROR disabled` : undefined),
};
