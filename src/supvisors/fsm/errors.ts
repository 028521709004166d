/**
 * Errors of the cluster core. Only a host's programming error throws (a bad construction, a time
 * that is not a number): what comes from the network is validated and, when bad, ignored with a
 * log line, so a hostile or confused peer can never crash the daemon.
 */
export type ClusterCoreErrorCode =
  | "BAD_INSTANCES" // empty list, duplicate identifiers or nicks
  | "UNKNOWN_LOCAL" // the local identifier is not in the list
  | "BAD_OPTION" // an option out of its range
  | "BAD_TIME"; // a time argument that is not a finite number

export class ClusterCoreError extends Error {
  override readonly name = "ClusterCoreError";
  readonly code: ClusterCoreErrorCode;
  constructor(code: ClusterCoreErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}
