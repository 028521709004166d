// The Spawner with the native posix_spawn addon (the daemon's default when it was built).
import t from "tap";
import { nativeSpawnerAvailable } from "../../src/supervisord/process/native-spawn.js";
import { spawnerCases } from "./spawner-cases.js";

// `npm test` builds the addon first (scripts/build.mjs); without it this suite would silently test
// the fallback twice.
t.ok(nativeSpawnerAvailable(), "dist/native/spawner.node was built and loads");
spawnerCases(t, { closesInheritedFds: true });
