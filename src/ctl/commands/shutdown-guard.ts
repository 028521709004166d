/**
 * The reference's pattern for calls made while supervisord may be stopping: any failure sets exit
 * status 1; SHUTDOWN_STATE prints `ERROR: <message>` instead of an error trace.
 */
import { Faults } from "../../protocol/faults.js";
import type { RpcValue } from "../../supervisord/rpc/values.js";
import type { Controller } from "../controller.js";
import { XmlRpcFault } from "../errors.js";
import { LsbInit } from "../exit-status.js";

/** The result of `supervisor.<method>()`, or undefined when the daemon is shutting down (reported). */
export async function callUnlessShuttingDown(ctl: Controller, method: string, message: string): Promise<RpcValue | undefined> {
  try {
    return await ctl.supervisor().call(method);
  } catch (e) {
    ctl.exitstatus = LsbInit.GENERIC;
    if (e instanceof XmlRpcFault && e.faultCode === Faults.SHUTDOWN_STATE) {
      ctl.output(`ERROR: ${message}`);
      return undefined;
    }
    throw e;
  }
}
