/**
 * supervisord's fault codes (spec §8.4) and the error methods throw to produce a fault. The codes
 * live in src/protocol/faults.ts (clients share them) and the error is the services' ServiceFault;
 * this module keeps the names the rpc/ layer has always used.
 */
export { Faults, faultName, type FaultName, type FaultCode } from "../../protocol/faults.js";
export { ServiceFault as RpcFault } from "../service/fault.js";
