/**
 * A subscriber of the event interface that no one here wrote: Debian's python3-zmq or
 * python3-websockets, driven by test/fixtures/supvisors_subscriber.py, which prints each event as
 * one JSON line (json.dumps keeps a float's '.0', so the types Python sees can be checked).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { poll } from "./cluster.js";

export const PYTHON = "/usr/bin/python3";
const SUBSCRIBER = "test/fixtures/supvisors_subscriber.py";
const TIMEOUT = 20_000;

/** [header, body, the line as Python printed it (json.dumps keeps a float's '.0')]. */
export type Event = [string, Record<string, unknown>, string];

export function pythonHas(module: string): boolean {
  return existsSync(PYTHON) && spawnSync(PYTHON, ["-c", `import ${module}`], { stdio: "ignore" }).status === 0;
}

/** A Python subscriber: its events as they arrive, stopped at teardown. */
export class PySubscriber {
  readonly events: Event[] = [];
  private readonly child: ChildProcess;
  private buffer = "";
  ready = false;
  constructor(kind: "zmq" | "ws", host: string, port: number, path = "/all") {
    this.child = spawn(PYTHON, [SUBSCRIBER, kind, host, String(port), path], { stdio: ["ignore", "pipe", "pipe"] });
    this.child.stdout!.on("data", (d: Buffer) => {
      this.buffer += d.toString("utf8");
      let i: number;
      while ((i = this.buffer.indexOf("\n")) >= 0) {
        const line = this.buffer.slice(0, i);
        this.buffer = this.buffer.slice(i + 1);
        if (line === "READY") this.ready = true;
        else if (line.startsWith("[")) {
          const [header, body] = JSON.parse(line) as [string, Record<string, unknown>];
          this.events.push([header, body, line]);
        }
      }
    });
  }
  async started(): Promise<void> {
    await poll(() => (this.ready ? true : undefined), TIMEOUT, "subscriber ready");
  }
  stop(): void {
    this.child.kill("SIGKILL");
  }
}

