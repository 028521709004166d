/**
 * What the event interface says (spec §7.3): the payload of each header, built from the same
 * sources as the `supvisors.*` answers (the global StateModes, InstanceInfo, the model's
 * ApplicationInfo and ProcessInfo), encoded as Supvisors' JSON and handed to the transport. The
 * host calls it at the triggers of §7.4; each instance publishes its view of the whole cluster.
 */
import type { SupvisorsEventHeader } from "../../protocol/supvisors.js";
import type { EventsPort } from "../host/ports.js";
import type { ModelView, Payload } from "../service/supvisors-service.js";
import type { StatsEventsPort } from "../stats/statistics.js";
import type { HostStatsPayload, ProcessStatsPayload } from "../stats/types.js";
import type { Identifier } from "../types.js";
import { pyJson } from "./py-json.js";
import type { EventTransport } from "./transport.js";

/** In the `event` payload, `now` is a float (time.time() of the producer). */
const EVENT_FLOATS: ReadonlySet<string> = new Set(["now"]);
/** Every figure of `hstats` and `pstats` is a float (percents, kbit/s, seconds), at any depth. */
const STATS_FLOATS = { deep: new Set(["period", "cpu", "mem", "net_io", "disk_io", "disk_usage"]) };

export interface PublisherSources {
  /** The global StateModes (get_supvisors_state). */
  supvisorsState(): Payload;
  /** InstanceInfo of one instance (get_instance_info's item). */
  instanceInfo(id: Identifier): Payload;
  readonly instances: readonly Identifier[];
  readonly model: ModelView;
  /** Local monotonic seconds (event_mtime, DELETED payloads). */
  nowMonotonic(): number;
  /** The last statistics of every series (for the snapshot); none by default. */
  lastStats?(): { host: readonly HostStatsPayload[]; process: readonly ProcessStatsPayload[] };
}

export class EventPublisher implements EventsPort, StatsEventsPort {
  constructor(
    private readonly transport: EventTransport,
    private readonly src: PublisherSources,
  ) {}

  /** The body is built only when someone subscribed to the header (a websocket nobody reads). */
  private emit(header: SupvisorsEventHeader, body: () => string): void {
    if (this.transport.wants(header)) this.transport.publish(header, body());
  }

  supvisors(): void {
    this.emit("supvisors", () => pyJson(this.src.supvisorsState()));
  }

  instance(id: Identifier): void {
    this.emit("instance", () => pyJson(this.src.instanceInfo(id)));
  }

  /** The raw event of the instance owning the process (or a forced one), stamped at reception. */
  processEvent(event: object): void {
    const { forced: _forced, ...raw } = event as Record<string, unknown>;
    this.emit("event", () => pyJson({ ...raw, event_mtime: this.src.nowMonotonic() }, EVENT_FLOATS));
  }

  process(application: string, name: string): void {
    this.emit("process", () => pyJson(this.processPayload(application, name)));
  }

  application(application: string): void {
    const info = this.src.model.applicationInfo(application);
    // An application whose last process went: DELETED (ApplicationStates 4).
    const payload = info ?? { application_name: application, managed: false, now_monotonic: this.src.nowMonotonic(), statecode: 4, statename: "DELETED", major_failure: false, minor_failure: false };
    this.emit("application", () => pyJson(payload));
  }

  hostStats(p: HostStatsPayload): void {
    this.emit("hstats", () => pyJson(p, STATS_FLOATS));
  }

  processStats(p: ProcessStatsPayload): void {
    this.emit("pstats", () => pyJson(p, STATS_FLOATS));
  }

  /** The state of everything now, for a subscriber that joins late. */
  snapshot(): [SupvisorsEventHeader, string][] {
    const out: [SupvisorsEventHeader, string][] = [["supvisors", pyJson(this.src.supvisorsState())]];
    for (const id of this.src.instances) out.push(["instance", pyJson(this.src.instanceInfo(id))]);
    const m = this.src.model;
    for (const a of m.applicationNames()) {
      const info = m.applicationInfo(a);
      if (info) out.push(["application", pyJson(info)]);
      for (const p of m.processNames(a) ?? []) out.push(["process", pyJson(this.processPayload(a, p))]);
    }
    const stats = this.src.lastStats?.();
    for (const p of stats?.host ?? []) out.push(["hstats", pyJson(p, STATS_FLOATS)]);
    for (const p of stats?.process ?? []) out.push(["pstats", pyJson(p, STATS_FLOATS)]);
    return out;
  }

  private processPayload(application: string, name: string): Payload {
    return (
      this.src.model.processInfo(application, name) ?? {
        // Removed from the last instance that defined it (spec §7.3).
        application_name: application,
        process_name: name,
        now_monotonic: this.src.nowMonotonic(),
        statecode: -1,
        statename: "DELETED",
        expected_exit: true,
        last_event_mtime: this.src.nowMonotonic(),
        identifiers: [],
        extra_args: "",
      }
    );
  }
}
