/**
 * Supervisor's event type tree (spec §9.1). In the reference these are Python classes and a
 * subscription matches by isinstance(), so subscribing to a parent type delivers all of its
 * subtypes. The set is closed: Python plugins can register more, a reimplementation cannot.
 *
 * Deliberately dependency-free: the config reader imports it to validate `events=`.
 */

/** Each known event type name mapped to its parent (null for the root EVENT). */
const PARENT: Readonly<Record<string, string | null>> = {
  EVENT: null,
  PROCESS_STATE: "EVENT",
  PROCESS_STATE_STOPPED: "PROCESS_STATE",
  PROCESS_STATE_EXITED: "PROCESS_STATE",
  PROCESS_STATE_STARTING: "PROCESS_STATE",
  PROCESS_STATE_STOPPING: "PROCESS_STATE",
  PROCESS_STATE_BACKOFF: "PROCESS_STATE",
  PROCESS_STATE_FATAL: "PROCESS_STATE",
  PROCESS_STATE_RUNNING: "PROCESS_STATE",
  PROCESS_STATE_UNKNOWN: "PROCESS_STATE",
  PROCESS_COMMUNICATION: "EVENT",
  PROCESS_COMMUNICATION_STDOUT: "PROCESS_COMMUNICATION",
  PROCESS_COMMUNICATION_STDERR: "PROCESS_COMMUNICATION",
  PROCESS_LOG: "EVENT",
  PROCESS_LOG_STDOUT: "PROCESS_LOG",
  PROCESS_LOG_STDERR: "PROCESS_LOG",
  REMOTE_COMMUNICATION: "EVENT",
  SUPERVISOR_STATE_CHANGE: "EVENT",
  SUPERVISOR_STATE_CHANGE_RUNNING: "SUPERVISOR_STATE_CHANGE",
  SUPERVISOR_STATE_CHANGE_STOPPING: "SUPERVISOR_STATE_CHANGE",
  TICK: "EVENT",
  TICK_5: "TICK",
  TICK_60: "TICK",
  TICK_3600: "TICK",
  PROCESS_GROUP: "EVENT",
  PROCESS_GROUP_ADDED: "PROCESS_GROUP",
  PROCESS_GROUP_REMOVED: "PROCESS_GROUP",
};

/** Every known event type name, in the order of the reference's EventTypes class. */
export const EVENT_TYPE_NAMES: readonly string[] = Object.freeze(Object.keys(PARENT));

/**
 * Abstract types: never emitted themselves, only useful as subscriptions.
 * (PROCESS_LOG and REMOTE_COMMUNICATION are concrete-or-leaf in the reference's class table;
 * PROCESS_LOG is a base class nobody instantiates, so it is listed here too.)
 */
export const ABSTRACT_EVENT_TYPES: ReadonlySet<string> = new Set([
  "EVENT",
  "PROCESS_STATE",
  "PROCESS_COMMUNICATION",
  "PROCESS_LOG",
  "SUPERVISOR_STATE_CHANGE",
  "TICK",
  "PROCESS_GROUP",
]);

/** True for a name of the closed set (case-sensitive: the config reader upper-cases `events=`). */
export function isKnownEventType(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(PARENT, name);
}

/** The type itself followed by its ancestors up to EVENT; empty for an unknown name. */
export function eventTypeAncestry(name: string): string[] {
  const chain: string[] = [];
  let cur: string | null | undefined = isKnownEventType(name) ? name : undefined;
  while (cur) {
    chain.push(cur);
    cur = PARENT[cur];
  }
  return chain;
}

/** Whether `typeName` is `ancestor` or one of its (transitive) subtypes. */
export function isSubtypeOf(typeName: string, ancestor: string): boolean {
  return eventTypeAncestry(typeName).includes(ancestor);
}

/** Whether an event of `typeName` is delivered to a pool subscribed to `subscribed`. */
export function matchesSubscription(typeName: string, subscribed: readonly string[]): boolean {
  const chain = eventTypeAncestry(typeName);
  return subscribed.some((s) => chain.includes(s));
}
