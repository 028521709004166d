// The native spawner on its plain path, the one a kernel without CLOSE_RANGE_UNSHARE (Linux < 5.9)
// takes: the child gets a copy of the daemon's fd table and closes what is above 2 itself
// (native-spawn.c, "low slots"). What the child sees must be the same on both paths.
import t from "tap";
process.env.SUPERVISORD_SPAWN_FD_SLOTS = "0"; // read at the first spawn
const { nativeSpawnerAvailable } = await import("../../src/supervisord/process/native-spawn.js");
const { devNullFds, spawnerCases } = await import("./spawner-cases.js");

const before = devNullFds();

t.ok(nativeSpawnerAvailable(), "dist/native/spawner.node was built and loads");
spawnerCases(t, { closesInheritedFds: true });
t.test("no slots were made", async (t) => {
  t.equal(devNullFds(), before);
});
