/**
 * The conciliation page's operations of SupvisorsControl (conciliateProcess, stopProcessOn,
 * keepProcessOn) over the Commander's test world: a real ClusterModel and Commander, a ControlPort
 * whose order() drains the commander like the host and whose waitFor() is checked after every
 * input (process events, time), as SupvisorsHost does.
 */
import t from "tap";
import type { CommandRequest } from "../../src/supvisors/commander/types.js";
import type { SupvisorsStateName } from "../../src/protocol/supvisors.js";
import { ServiceFault } from "../../src/supervisord/service/fault.js";
import { SupvisorsControl, type ControlPort } from "../../src/supvisors/service/supvisors-control.js";
import { A, B, C, MARGIN, S, info, sorted, startReq, stopReq, World, type WorldInit } from "../helpers/commander-world.js";

const unused = (): never => {
  throw new Error("not used by the conciliation page's operations");
};

/** The world plus the host's side of the ControlPort: orders drained, waiters checked after each input. */
class Dash extends World {
  state: SupvisorsStateName = "CONCILIATION";
  /** The requests planned by the last order. */
  ordered: CommandRequest[] = [];
  readonly errors: string[] = [];
  private readonly waiters: { done: () => boolean; resolve: () => void }[] = [];
  readonly control: SupvisorsControl;

  constructor(init: WorldInit) {
    super(init);
    const port: ControlPort = {
      state: () => this.state,
      application: (name) => this.model.applicationStatus(name),
      applicationNames: () => this.model.applicationNames(),
      order: (f) => {
        const out = f(this.cmd, this.nowMs);
        this.ordered = this.take().requests;
        this.settle();
        return out;
      },
      commander: this.cmd,
      waitFor: (done) => (done() ? Promise.resolve() : new Promise((resolve) => this.waiters.push({ done, resolve }))),
      jobsAnywhere: unused,
      closing: unused,
      startArgs: unused,
      localKnows: unused,
      localIdentifier: A,
      programProcesses: unused,
      setProgramDisabled: unused,
      updateNumprocs: unused,
      conciliationDefault: "USER",
      log: (level, text) => {
        if (level === "error") this.errors.push(text);
      },
    };
    this.control = new SupvisorsControl(port);
  }

  override event(...args: Parameters<World["event"]>) {
    const r = super.event(...args);
    this.settle();
    return r;
  }

  override time(ms: number) {
    const r = super.time(ms);
    this.settle();
    return r;
  }

  private settle(): void {
    for (const w of [...this.waiters]) {
      if (!w.done()) continue;
      this.waiters.splice(this.waiters.indexOf(w), 1);
      w.resolve();
    }
  }

  running(namespec: string): string[] {
    return [...this.proc(namespec).running].sort();
  }
}

/** A promise's outcome, readable synchronously once the microtasks ran (see flush). */
function track<T>(p: Promise<T>) {
  const s: { settled: boolean; value?: T; error?: unknown } = { settled: false };
  p.then(
    (v) => Object.assign(s, { settled: true, value: v }),
    (e: unknown) => Object.assign(s, { settled: true, error: e }),
  );
  return s;
}

const flush = () => new Promise<void>((r) => setImmediate(r));

function faultOf(fn: () => unknown): { code: number; text: string } | null {
  try {
    fn();
    return null;
  } catch (err) {
    if (!(err instanceof ServiceFault)) throw err;
    return { code: err.code, text: err.message };
  }
}

async function rejection(p: Promise<unknown>): Promise<{ code: number; text: string } | null> {
  try {
    await p;
    return null;
  } catch (err) {
    if (!(err instanceof ServiceFault)) throw err;
    return { code: err.code, text: err.message };
  }
}

/**
 * cc (managed): p conflicts on A, B, C (uptimes 100 / 50 / 10), q on A and B (uptimes 30 / 80),
 * r runs on A only, s is stopped everywhere. um (unmanaged): x runs on A and B (no conflict).
 */
const dash = (runningFailureStrategy: "CONTINUE" | "RESTART_PROCESS" = "CONTINUE") =>
  new Dash({
    apps: { cc: { programs: { p: {}, q: { runningFailureStrategy }, r: {}, s: {} } } },
    loads: {
      [A]: [
        info("cc:p", S.RUNNING, { start_monotonic: 100, now_monotonic: 200 }),
        info("cc:q", S.RUNNING, { start_monotonic: 170, now_monotonic: 200 }),
        info("cc:r", S.RUNNING),
        info("cc:s", S.STOPPED),
        info("um:x", S.RUNNING),
      ],
      [B]: [
        info("cc:p", S.RUNNING, { start_monotonic: 150, now_monotonic: 200 }),
        info("cc:q", S.RUNNING, { start_monotonic: 120, now_monotonic: 200 }),
        info("cc:r", S.STOPPED),
        info("cc:s", S.STOPPED),
        info("um:x", S.RUNNING),
      ],
      [C]: [
        info("cc:p", S.RUNNING, { start_monotonic: 190, now_monotonic: 200 }),
        info("cc:q", S.STOPPED),
        info("cc:r", S.STOPPED),
        info("cc:s", S.STOPPED),
        info("um:x", S.STOPPED),
      ],
    },
  });

t.test("fixture: two conflicts of cc, r and s without conflict, um unmanaged", async (t) => {
  const d = dash();
  t.same(d.running("cc:p"), [A, B, C]);
  t.same(d.running("cc:q"), [A, B]);
  t.same([A, B, C].map((id) => d.proc("cc:p").records.get(id)!.uptime), [100, 50, 10]);
  t.same([A, B].map((id) => d.proc("cc:q").records.get(id)!.uptime), [30, 80]);
  t.equal(d.proc("cc:r").conflicting(), false);
  t.same(d.running("um:x"), [A, B], "unmanaged: runs twice, no conflict for Supvisors");
});

// ================================================================================================
// conciliateProcess
// ================================================================================================

t.test("conciliateProcess: the strategy applied to that conflict alone", async (t) => {
  t.test("SENICIDE on cc:p keeps its youngest (C); cc:q untouched", async (t) => {
    const d = dash();
    t.equal(d.control.conciliateProcess("SENICIDE", "cc:p"), true);
    t.same(d.ordered, [stopReq(A, "cc:p"), stopReq(B, "cc:p")]);
    d.event(1100, A, "cc:p", S.STOPPED);
    t.same(d.event(1200, B, "cc:p", S.STOPPED).requests, [], "nothing else once p is stopped");
    t.same(d.running("cc:p"), [C]);
    t.same(d.running("cc:q"), [A, B], "the other conflict is left to the user");
    t.equal(d.cmd.stopping(), false);
  });

  t.test("INFANTICIDE on cc:q keeps its oldest (B)", async (t) => {
    const d = dash();
    t.equal(d.control.conciliateProcess("INFANTICIDE", "cc:q"), true);
    t.same(d.ordered, [stopReq(A, "cc:q")]);
  });

  t.test("STOP on cc:p stops it everywhere, only it", async (t) => {
    const d = dash();
    t.equal(d.control.conciliateProcess("STOP", "cc:p"), true);
    t.same(d.ordered, [stopReq(A, "cc:p"), stopReq(B, "cc:p"), stopReq(C, "cc:p")]);
    d.event(1100, A, "cc:p", S.STOPPED);
    d.event(1200, B, "cc:p", S.STOPPED);
    t.same(d.event(1300, C, "cc:p", S.STOPPED).requests, [], "no start");
    t.same(d.running("cc:q"), [A, B]);
  });

  t.test("RESTART on cc:q: stopped everywhere, then started once", async (t) => {
    const d = dash();
    t.equal(d.control.conciliateProcess("RESTART", "cc:q"), true);
    t.same(d.ordered, [stopReq(A, "cc:q"), stopReq(B, "cc:q")]);
    t.same(d.event(1100, A, "cc:q", S.STOPPED).requests, []);
    t.same(d.event(1200, B, "cc:q", S.STOPPED).requests, [startReq(A, "cc:q")], "CONFIG: the first instance");
    t.same(d.running("cc:p"), [A, B, C], "p untouched");
  });

  t.test("RUNNING_FAILURE on cc:q: stopped everywhere, then its RESTART_PROCESS", async (t) => {
    const d = dash("RESTART_PROCESS");
    t.equal(d.control.conciliateProcess("RUNNING_FAILURE", "cc:q"), true);
    t.same(d.ordered, [stopReq(A, "cc:q"), stopReq(B, "cc:q")]);
    d.event(1100, A, "cc:q", S.STOPPED);
    t.same(d.event(1200, B, "cc:q", S.STOPPED).requests, [startReq(A, "cc:q")]);
  });

  t.test("RUNNING_FAILURE with CONTINUE: stopped everywhere, nothing after", async (t) => {
    const d = dash();
    t.equal(d.control.conciliateProcess("RUNNING_FAILURE", "cc:q"), true);
    d.event(1100, A, "cc:q", S.STOPPED);
    t.same(d.event(1200, B, "cc:q", S.STOPPED).requests, []);
    t.equal(d.cmd.handles("cc"), false);
  });

  t.test("null: every conflict, exactly as conciliate", async (t) => {
    const d = dash();
    t.equal(d.control.conciliateProcess("SENICIDE", null), true);
    const viaNull = sorted(d.ordered);
    t.same(viaNull, sorted([stopReq(A, "cc:p"), stopReq(B, "cc:p"), stopReq(B, "cc:q")]), "both conflicts, the unmanaged x left alone");
    const e = dash();
    t.equal(e.control.conciliate("SENICIDE"), true);
    t.same(sorted(e.ordered), viaNull, "the same requests as conciliate");
    t.equal(dash().control.conciliateProcess("USER", null), false);
  });

  t.test("nothing done: USER, not in conflict, stopped, unmanaged", async (t) => {
    const d = dash();
    t.equal(d.control.conciliateProcess("USER", "cc:p"), false, "USER");
    t.same(d.ordered, []);
    for (const ns of ["cc:r", "cc:s", "um:x"]) {
      t.equal(d.control.conciliateProcess("STOP", ns), false, ns);
      t.same(d.ordered, [], `${ns}: no request`);
    }
    t.equal(d.cmd.handles("cc"), false);
    t.equal(d.cmd.handles("um"), false);
  });

  t.test("faults: state guard, names, strategy", async (t) => {
    const d = dash();
    t.same(faultOf(() => d.control.conciliateProcess("STOP", "zz:p")), { code: 10, text: "BAD_NAME: application=zz unknown to Supvisors" });
    t.same(faultOf(() => d.control.conciliateProcess("STOP", "cc:zz")), { code: 10, text: "BAD_NAME: process=zz unknown in application=cc" });
    t.equal(faultOf(() => d.control.conciliateProcess("STOP", "cc:*"))?.code, 10, "one process only");
    t.equal(faultOf(() => d.control.conciliateProcess("USER", "cc:zz"))?.code, 10, "USER checks the name too");
    t.equal(faultOf(() => d.control.conciliateProcess("BOGUS" as never, "cc:p"))?.code, 2, "INCORRECT_PARAMETERS");
    d.state = "OPERATION";
    t.same(faultOf(() => d.control.conciliateProcess("STOP", "cc:p")), { code: 101, text: "BAD_SUPVISORS_STATE: invalid Supvisors state=OPERATION - state expected in ['CONCILIATION']" });
    t.same(d.ordered, [], "nothing ordered by a refused call");
    t.equal(d.cmd.handles("cc"), false);
  });
});

// ================================================================================================
// stopProcessOn
// ================================================================================================

t.test("stopProcessOn: one instance only, answers once stopped there", async (t) => {
  t.test("stops p on B alone; resolves on B's STOPPED", async (t) => {
    const d = dash();
    const r = track(d.control.stopProcessOn("cc:p", B));
    t.same(d.ordered, [stopReq(B, "cc:p")], "a single request, to B");
    d.event(1100, B, "cc:p", S.STOPPING);
    await flush();
    t.equal(r.settled, false, "STOPPING there is not stopped");
    d.event(1200, A, "cc:p", S.RUNNING);
    await flush();
    t.equal(r.settled, false, "an event elsewhere does not answer");
    d.event(1300, B, "cc:p", S.STOPPED);
    await flush();
    t.same(r, { settled: true, value: true });
    t.same(d.running("cc:p"), [A, C], "still in conflict on A and C");
    t.equal(d.cmd.stopping(), false);
  });

  t.test("allowed in OPERATION, a process that does not conflict", async (t) => {
    const d = dash();
    d.state = "OPERATION";
    const r = track(d.control.stopProcessOn("cc:r", A));
    t.same(d.ordered, [stopReq(A, "cc:r")]);
    d.event(1100, A, "cc:r", S.EXITED);
    await flush();
    t.same(r, { settled: true, value: true });
  });

  t.test("a stop that times out answers STILL_RUNNING instead of waiting for ever", async (t) => {
    const d = dash();
    const r = d.control.stopProcessOn("cc:p", C);
    t.same(d.ordered, [stopReq(C, "cc:p")]);
    const late = d.time(1000 + MARGIN + 1);
    t.equal(late.forced.length, 1, "the Stopper forces STOPPED there");
    t.same(await rejection(r), { code: 91, text: "STILL_RUNNING: cc:p on C:60000" });
  });

  t.test("a second Stop while the first runs: the Stopper keeps its command, the answer comes with the job's end", async (t) => {
    const d = dash();
    const first = track(d.control.stopProcessOn("cc:p", A));
    const second = d.control.stopProcessOn("cc:p", B);
    t.same(d.ordered, [], "no request to B: the process has a stop command already");
    d.event(1100, A, "cc:p", S.STOPPED);
    t.same(await rejection(second), { code: 91, text: "STILL_RUNNING: cc:p on B:60000" });
    t.same(first, { settled: true, value: true });
    t.same(d.running("cc:p"), [B, C]);
  });

  t.test("faults: NOT_RUNNING there, names, state guard", async (t) => {
    const d = dash();
    t.same(await rejection(d.control.stopProcessOn("cc:r", B)), { code: 70, text: "NOT_RUNNING: cc:r not running on B:60000" });
    t.equal((await rejection(d.control.stopProcessOn("cc:s", A)))?.code, 70, "stopped everywhere");
    t.equal((await rejection(d.control.stopProcessOn("cc:p", "Z:60000")))?.code, 70, "an unknown instance runs nothing");
    t.same(d.ordered, [], "nothing ordered");
    t.equal((await rejection(d.control.stopProcessOn("cc:zz", A)))?.code, 10);
    t.equal((await rejection(d.control.stopProcessOn("cc", A)))?.code, 10, "an application is not a process");
    d.state = "DISTRIBUTION";
    t.equal((await rejection(d.control.stopProcessOn("cc:p", A)))?.code, 101);
    t.equal(d.cmd.handles("cc"), false);
    t.ok(d.errors.some((e) => e.startsWith("RPCInterface.stop_process_on: cc:r not running on B:60000")), "logged like the other faults");
  });
});

// ================================================================================================
// keepProcessOn
// ================================================================================================

t.test("keepProcessOn: stopped everywhere else, answers once it runs there alone", async (t) => {
  t.test("keeps p on B: stops A and C; resolves after both STOPPED", async (t) => {
    const d = dash();
    const r = track(d.control.keepProcessOn("cc:p", B));
    t.same(sorted(d.ordered), [stopReq(A, "cc:p"), stopReq(C, "cc:p")], "none to B");
    d.event(1100, A, "cc:p", S.STOPPED);
    await flush();
    t.equal(r.settled, false, "still running on C");
    d.event(1200, C, "cc:p", S.STOPPED);
    await flush();
    t.same(r, { settled: true, value: true });
    t.same(d.running("cc:p"), [B]);
    t.equal(d.proc("cc:p").conflicting(), false);
    t.same(d.running("cc:q"), [A, B], "the other conflict untouched");
  });

  t.test("keeps q on A: a single request to B", async (t) => {
    const d = dash();
    const r = track(d.control.keepProcessOn("cc:q", A));
    t.same(d.ordered, [stopReq(B, "cc:q")]);
    d.event(1100, B, "cc:q", S.STOPPED);
    await flush();
    t.same(r, { settled: true, value: true });
  });

  t.test("runs there alone already: true at once, nothing ordered", async (t) => {
    const d = dash();
    t.equal(await d.control.keepProcessOn("cc:r", A), true);
    t.same(d.ordered, []);
    t.equal(d.cmd.handles("cc"), false);
  });

  t.test("faults: NOT_RUNNING there, names, state guard", async (t) => {
    const d = dash();
    t.same(await rejection(d.control.keepProcessOn("cc:q", C)), { code: 70, text: "NOT_RUNNING: cc:q not running on C:60000" });
    t.equal((await rejection(d.control.keepProcessOn("cc:s", A)))?.code, 70);
    t.same(d.ordered, [], "nothing stopped elsewhere");
    t.equal(d.cmd.handles("cc"), false);
    t.equal((await rejection(d.control.keepProcessOn("zz:p", A)))?.code, 10);
    d.state = "RESTARTING";
    t.equal((await rejection(d.control.keepProcessOn("cc:p", A)))?.code, 101);
  });
});
