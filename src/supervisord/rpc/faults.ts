/** supervisord's fault codes (spec §8.4) and the error methods throw to produce a fault. */
export const Faults = {
  UNKNOWN_METHOD: 1,
  INCORRECT_PARAMETERS: 2,
  BAD_ARGUMENTS: 3,
  SIGNATURE_UNSUPPORTED: 4,
  SHUTDOWN_STATE: 6,
  BAD_NAME: 10,
  BAD_SIGNAL: 11,
  NO_FILE: 20,
  NOT_EXECUTABLE: 21,
  FAILED: 30,
  ABNORMAL_TERMINATION: 40,
  SPAWN_ERROR: 50,
  ALREADY_STARTED: 60,
  NOT_RUNNING: 70,
  SUCCESS: 80,
  ALREADY_ADDED: 90,
  STILL_RUNNING: 91,
  CANT_REREAD: 92,
} as const;

export type FaultName = keyof typeof Faults;
export type FaultCode = (typeof Faults)[FaultName];

const NAME_BY_CODE = new Map<number, FaultName>(
  (Object.entries(Faults) as [FaultName, number][]).map(([name, code]) => [code, name]),
);

/** The fault's name for a code, or `UNKNOWN` like supervisord's getFaultDescription. */
export function faultName(code: number): FaultName | "UNKNOWN" {
  return NAME_BY_CODE.get(code) ?? "UNKNOWN";
}

/**
 * Thrown by an RPC method to answer with a fault. faultString is `NAME` or `NAME: detail`, the
 * detail being shown as given (supervisord formats it with Python str()).
 */
export class RpcFault extends Error {
  readonly faultString: string;
  constructor(
    readonly code: number,
    detail?: string | number | null,
  ) {
    const text = detail === undefined || detail === null ? faultName(code) : `${faultName(code)}: ${detail}`;
    super(text);
    this.name = "RpcFault";
    this.faultString = text;
  }
}
