/** The Supervisor version we are compatible with, reported by getSupervisorVersion and -v. */
export const SUPERVISOR_VERSION = "4.2.5";
/** The XML-RPC API version supervisorctl expects (supervisor.getVersion / getAPIVersion). */
export const API_VERSION = "3.0";
