/**
 * Fault codes and names shared by the daemon and its clients: supervisord's table (spec
 * supervisor.md §8.4) and the codes Supvisors adds to it (supvisors.md §5.1). Imports nothing.
 */
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

/** The codes Supvisors adds (its plugin registers them in supervisord's table). */
export const SupvisorsFaultCodes = {
  SUPVISORS_CONF_ERROR: 100,
  BAD_SUPVISORS_STATE: 101,
  NOT_MANAGED: 102,
  DISABLED: 103,
  NOT_APPLICABLE: 104,
  NOT_INSTALLED: 105,
} as const;
export type SupvisorsFaultName = keyof typeof SupvisorsFaultCodes;

const NAME_BY_CODE = new Map<number, string>(
  [...Object.entries(Faults), ...Object.entries(SupvisorsFaultCodes)].map(([name, code]) => [code, name]),
);

/** The fault's name for a code, or `UNKNOWN` like supervisord's getFaultDescription. */
export function faultName(code: number): FaultName | SupvisorsFaultName | "UNKNOWN" {
  return (NAME_BY_CODE.get(code) as FaultName | SupvisorsFaultName | undefined) ?? "UNKNOWN";
}
