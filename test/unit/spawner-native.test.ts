// The Spawner with the native addon (native-spawn.c, the daemon's default when it was built).
import t from "tap";
import { closeSync, openSync, read, unlinkSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { nativeSpawn, nativeSpawnerAvailable, type NativeExit } from "../../src/supervisord/process/native-spawn.js";
import { devNullFds, spawnerCases } from "./spawner-cases.js";

const before = devNullFds();

// `npm test` builds the addon first (scripts/build.mjs); without it this suite would silently test
// the fallback twice.
t.ok(nativeSpawnerAvailable(), "dist/native/spawner.node was built and loads");
spawnerCases(t, { closesInheritedFds: true });
t.test("the first spawn made the slots: three and their /dev/null filler, kept for the next ones", async (t) => {
  t.equal(devNullFds(), before + 4);
});

// The child shares the daemon's fd table until its first act, close_range(CLOSE_RANGE_UNSHARE)
// (native-spawn.c, "low slots"). Nothing of that may leak into the daemon: its threads keep one
// table, so an fd the main thread opens after spawning is the same fd for the thread pool.
t.test("after spawns, the main thread and the thread pool still share one fd table", async (t) => {
  for (let i = 0; i < 3; i++) {
    await new Promise<NativeExit>((resolve) => {
      const c = nativeSpawn({ file: "/bin/true", argv: ["true"], env: {}, cwd: null, umask: null, stdinFd: null, mergeStderr: true }, resolve);
      for (const fd of [c.stdinFd, c.stdoutFd, c.stderrFd]) if (fd >= 0) closeSync(fd);
    });
  }
  const path = join(tmpdir(), `spawner-native-${process.pid}.txt`);
  const fd = openSync(path, "w+");
  unlinkSync(path);
  writeSync(fd, "seen by the pool", 0);
  // fs.read runs in a pool thread, with this fd number.
  const text = await new Promise<string>((resolve) =>
    read(fd, Buffer.alloc(64), 0, 64, 0, (err, n, b) => resolve(err ? `error: ${err.code}` : b.subarray(0, n).toString())),
  );
  t.equal(text, "seen by the pool");
  closeSync(fd);
});
