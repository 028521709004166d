// NativeOutput.endIfHungUp: the reaper ends a dead child's pipe at once when it is at EOF, so
// that a batch of exits is reported in one turn. It must never end a pipe that still holds bytes
// or that another process (a grandchild) still writes to.
import t from "tap";
import { closeSync } from "node:fs";
import { NativeOutput, nativeSpawn, nativeSpawnerAvailable, type NativeExit } from "../../src/supervisord/process/native-spawn.js";

interface Started {
  out: NativeOutput;
  exit: NativeExit;
  data: string[];
  ends: number;
}

/** Resolves when the child has been reaped; its output reader is paused until the test resumes it. */
function start(script: string): Promise<Started> {
  return new Promise((resolve) => {
    const child = nativeSpawn({ file: "/bin/sh", argv: ["sh", "-c", script], env: { PATH: "/usr/bin:/bin" }, cwd: null, umask: null, stdinFd: null, mergeStderr: true }, (exit) => {
      r.exit = exit;
      resolve(r);
    });
    if (child.stdinFd >= 0) closeSync(child.stdinFd);
    const r: Started = { out: new NativeOutput(child.stdoutFd), exit: { code: null, signal: null, coreDumped: false }, data: [], ends: 0 };
    r.out.onData((b) => r.data.push(b.toString()));
    r.out.onEnd(() => r.ends++);
    r.out.pause();
  });
}

const skip = nativeSpawnerAvailable() ? false : "needs the native spawner";

t.test("a dead child's pipe with bytes left is not at EOF; once read, it is, and ends once", { skip }, async (t) => {
  const r = await start("printf 'last words'");
  t.equal(r.out.endIfHungUp(), false, "unread bytes: not ended");
  t.equal(r.ends, 0);
  r.out.resume();
  await new Promise((res) => setTimeout(res, 100));
  t.same(r.data, ["last words"], "every byte was delivered");
  // The reader saw EOF by itself meanwhile (it was polling): ended once, and not again.
  t.equal(r.ends, 1);
  t.equal(r.out.endIfHungUp(), false, "an ended reader is not ended twice");
  t.equal(r.ends, 1);
});

t.test("a dead child's empty pipe is at EOF: ended now, with no later second end", { skip }, async (t) => {
  const r = await start("exit 3");
  t.equal(r.exit.code, 3);
  t.equal(r.out.endIfHungUp(), true);
  t.equal(r.ends, 1);
  r.out.resume();
  await new Promise((res) => setTimeout(res, 100));
  t.equal(r.ends, 1, "no EOF callback after it");
});

t.test("a pipe a grandchild still holds is not at EOF", { skip }, async (t) => {
  const r = await start("sleep 0.3 & exit 0");
  t.equal(r.out.endIfHungUp(), false, "the grandchild can still write");
  t.equal(r.ends, 0);
  r.out.resume();
  await new Promise((res) => setTimeout(res, 600));
  t.equal(r.ends, 1, "it ends when the grandchild is gone");
});
