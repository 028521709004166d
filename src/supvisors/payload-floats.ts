/**
 * The payload keys that are Python floats in Supvisors (spec §5.2, §7.3): XML-RPC sends them as
 * <double> and the event interface as JSON numbers with a decimal point, even when integral, so a
 * Python client sees the same types as with Supvisors. (`now` is a float only in process events,
 * an int in the LocalProcessInfo it also appears in: the event interface adds it for its header.)
 */
export const FLOAT_KEYS: ReadonlySet<string> = new Set([
  "now_monotonic",
  "start_monotonic",
  "stop_monotonic",
  "remote_mtime",
  "local_mtime",
  "last_event_mtime",
  "collecting_period",
  "event_mtime",
  "event_time",
  "uptime",
  "target_period",
]);
