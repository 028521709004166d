/**
 * One ctl command line through our Controller with scripted XML-RPC answers: what it printed,
 * its exit status, and the calls it made (the API version checks left out).
 */
import { Controller, type ControllerIO } from "../../src/ctl/controller.js";
import { XmlRpcFault } from "../../src/ctl/errors.js";
import { buildCommandTable } from "../../src/ctl/main.js";
import type { CtlPlugin } from "../../src/ctl/plugin.js";
import type { RpcValue } from "../../src/supervisord/rpc/codec.js";

export type Answer = RpcValue | XmlRpcFault | ((params: readonly RpcValue[]) => RpcValue);

export interface RigRun {
  readonly out: string;
  readonly status: number;
  readonly calls: [string, RpcValue[]][];
  readonly ctl: Controller;
}

/** `answers` by full method name; both version checks answer the right version unless scripted. */
export async function runLine(plugins: readonly CtlPlugin[], line: string, answers: Record<string, Answer> = {}, colour = false): Promise<RigRun> {
  let out = "";
  const io: ControllerIO = {
    write: (s) => void (out += s),
    errorLine: (l) => void (out += `[err] ${l}\n`),
    readLine: async () => null,
    colour,
  };
  const calls: [string, RpcValue[]][] = [];
  const defaults: Record<string, Answer> = { "supvisors.get_api_version": "0.19", "supervisor.getVersion": "3.0" };
  const caller = {
    async call(method: string, params: readonly RpcValue[] = []): Promise<RpcValue> {
      const answer = answers[method] ?? defaults[method];
      if (!(method in defaults) || method in answers) calls.push([method, [...params]]);
      if (answer === undefined) throw new XmlRpcFault(1, "UNKNOWN_METHOD");
      if (answer instanceof XmlRpcFault) throw answer;
      return typeof answer === "function" ? answer(params) : answer;
    },
    close() {},
  };
  const session = { serverurl: "http://localhost:9001", username: null, password: null, prompt: "supervisor", history_file: null, interactive: false };
  const ctl = new Controller(session, io, buildCommandTable(plugins), () => caller);
  await ctl.onecmd(line);
  return { out, status: ctl.exitstatus, calls, ctl };
}
