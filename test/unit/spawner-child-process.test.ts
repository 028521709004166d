// The Spawner's fallback, node:child_process (used when the native addon could not be built).
import t from "tap";

process.env.SUPERVISORD_SPAWNER = "child_process";
const { nativeSpawnerAvailable } = await import("../../src/supervisord/process/native-spawn.js");
const { spawnerCases } = await import("./spawner-cases.js");

t.notOk(nativeSpawnerAvailable(), "SUPERVISORD_SPAWNER=child_process turns the native spawner off");
spawnerCases(t, { closesInheritedFds: false });
