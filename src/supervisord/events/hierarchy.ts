/**
 * Supervisor's event type tree (spec §9.1). In the reference these are Python classes and a
 * subscription matches by isinstance(), so subscribing to a parent type delivers all of its
 * subtypes. The set is closed but for one plugin: Supvisors registers PROCESS (abstract) and its
 * four subtypes PROCESS_ADDED, PROCESS_REMOVED, PROCESS_ENABLED, PROCESS_DISABLED (spec
 * supvisors.md §5.3, "Patched Supervisor behaviour").
 *
 * Those five are always part of the tree, so a pool subscribed to EVENT gets them, as isinstance()
 * gives; only the core emits them, and only for what the Supvisors layer asks. Subscribing to
 * them by name (`events=PROCESS_ADDED`) needs the config to have Supvisors' [rpcinterface:x]:
 * without it supervisord does not know the names either. (Supvisors registers them when its
 * factory is called, after supervisord has read `events=`, so the real pair refuses them at the
 * first start and accepts them after a restart or reloadConfig; we accept them from the first.)
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

/** The types the Supvisors plugin registers (supvisors/listener.py add_process_events), with their parents. */
const SUPVISORS_PARENT: Readonly<Record<string, string>> = {
  PROCESS: "EVENT",
  PROCESS_ADDED: "PROCESS",
  PROCESS_REMOVED: "PROCESS",
  PROCESS_ENABLED: "PROCESS",
  PROCESS_DISABLED: "PROCESS",
};

/** Every known event type name of supervisord, in the order of the reference's EventTypes class. */
export const EVENT_TYPE_NAMES: readonly string[] = Object.freeze(Object.keys(PARENT));

/** The names Supvisors adds, in its registration order. */
export const SUPVISORS_EVENT_TYPE_NAMES: readonly string[] = Object.freeze(Object.keys(SUPVISORS_PARENT));

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
  "PROCESS",
]);

const own = (table: object, name: string) => Object.prototype.hasOwnProperty.call(table, name);

/**
 * True for a name a listener may subscribe to (case-sensitive: the config reader upper-cases
 * `events=`): supervisord's closed set, plus Supvisors' names when `supvisors` (the config has
 * its rpcinterface).
 */
export function isKnownEventType(name: string, opts: { readonly supvisors?: boolean } = {}): boolean {
  return own(PARENT, name) || (opts.supvisors === true && own(SUPVISORS_PARENT, name));
}

function parentOf(name: string): string | null | undefined {
  if (own(PARENT, name)) return PARENT[name];
  if (own(SUPVISORS_PARENT, name)) return SUPVISORS_PARENT[name];
  return undefined;
}

/** The type itself followed by its ancestors up to EVENT; empty for an unknown name. */
export function eventTypeAncestry(name: string): string[] {
  const chain: string[] = [];
  let cur: string | null | undefined = parentOf(name) !== undefined ? name : undefined;
  while (cur) {
    chain.push(cur);
    cur = parentOf(cur);
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
