/**
 * supervisorctl's exit statuses (spec §10.3): LSB init-script codes, plus the two
 * LSB *status* codes that only the `status` command uses.
 */
export const LsbInit = {
  SUCCESS: 0,
  GENERIC: 1,
  INVALID_ARGS: 2,
  UNIMPLEMENTED_FEATURE: 3,
  INSUFFICIENT_PRIVILEGES: 4,
  NOT_INSTALLED: 5,
  NOT_RUNNING: 7,
} as const;

export const LsbStatus = {
  NOT_RUNNING: 3,
  UNKNOWN: 4,
} as const;
