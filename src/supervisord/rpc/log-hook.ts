/**
 * How the RPC and HTTP layers write to the main log: the lead passes the main logger's
 * `(level, message)` function. Level codes are the main log's (same strings as logs/levels.ts).
 */
export type RpcLogLevel = "CRIT" | "ERRO" | "WARN" | "INFO" | "DEBG" | "TRAC" | "BLAT";
export type LogHook = (level: RpcLogLevel, message: string) => void;

export const silentLog: LogHook = () => {};
