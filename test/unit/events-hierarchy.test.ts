import t from "tap";
import {
  ABSTRACT_EVENT_TYPES,
  EVENT_TYPE_NAMES,
  eventTypeAncestry,
  isKnownEventType,
  isSubtypeOf,
  matchesSubscription,
} from "../../src/supervisord/events/hierarchy.js";

t.test("known names are the closed set of supervisor 4.2.5", async (t) => {
  t.equal(EVENT_TYPE_NAMES.length, 27);
  for (const n of ["EVENT", "PROCESS_STATE_RUNNING", "PROCESS_LOG_STDERR", "REMOTE_COMMUNICATION", "TICK_3600", "PROCESS_GROUP_REMOVED", "SUPERVISOR_STATE_CHANGE_STOPPING", "PROCESS_COMMUNICATION_STDOUT"]) {
    t.ok(isKnownEventType(n), n);
  }
  for (const n of ["TICK_10", "process_state", "", "toString", "__proto__", "PROCESS_STATE_EXITING"]) {
    t.notOk(isKnownEventType(n), JSON.stringify(n));
  }
  t.ok(ABSTRACT_EVENT_TYPES.has("TICK"));
  t.notOk(ABSTRACT_EVENT_TYPES.has("TICK_5"));
});

t.test("ancestry", async (t) => {
  t.same(eventTypeAncestry("PROCESS_STATE_FATAL"), ["PROCESS_STATE_FATAL", "PROCESS_STATE", "EVENT"]);
  t.same(eventTypeAncestry("EVENT"), ["EVENT"]);
  t.same(eventTypeAncestry("NOPE"), []);
  t.ok(isSubtypeOf("TICK_60", "TICK"));
  t.notOk(isSubtypeOf("TICK", "TICK_60"));
});

t.test("subscribing to a parent delivers its subtypes, not siblings", async (t) => {
  t.ok(matchesSubscription("PROCESS_STATE_RUNNING", ["PROCESS_STATE"]));
  t.ok(matchesSubscription("PROCESS_STATE_RUNNING", ["PROCESS_STATE_RUNNING"]));
  t.notOk(matchesSubscription("PROCESS_STATE_EXITED", ["PROCESS_STATE_RUNNING"]));
  t.notOk(matchesSubscription("PROCESS_LOG_STDOUT", ["PROCESS_COMMUNICATION"]));
  t.ok(matchesSubscription("PROCESS_COMMUNICATION_STDERR", ["TICK", "PROCESS_COMMUNICATION"]));
  t.notOk(matchesSubscription("PROCESS_STATE", ["PROCESS_STATE_RUNNING"]));
  t.notOk(matchesSubscription("TICK_5", []));
  for (const n of EVENT_TYPE_NAMES) t.ok(matchesSubscription(n, ["EVENT"]), `EVENT gets ${n}`);
  t.notOk(matchesSubscription("UNKNOWN_THING", ["EVENT"]));
});
