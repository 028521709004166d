// Bundles each entry in src/bin/ into dist/bin/<name>.mjs with esbuild.
// One bundle per command keeps start-up at Node's own start time (see shared/research/stack.md §8).
import { build } from "esbuild";
import { spawnSync } from "node:child_process";
import { readdirSync, chmodSync, cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

buildNativeSpawner();

/** Node/V8 flags of the daemon (its shebang; bench/lib/daemon.ts reads them back from there). */
const DAEMON_NODE_FLAGS = ["--max-semi-space-size=1", "--interrupt-budget=540672"];

const binDir = "src/bin";
const entries = existsSync(binDir) ? readdirSync(binDir).filter((f) => f.endsWith(".ts")) : [];
if (entries.length) {
  await build({
    entryPoints: entries.map((f) => join(binDir, f)),
    outdir: "dist/bin",
    outExtension: { ".js": ".mjs" },
    bundle: true,
    splitting: true,
    chunkNames: "../chunks/[name]-[hash]",
    platform: "node",
    target: "node20",
    format: "esm",
    sourcemap: "linked",
    external: ["zeromq"],
    banner: {
      js: "#!/usr/bin/env node\nimport { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
    },
    logLevel: "warning",
  });
  for (const f of entries) chmodSync(join("dist/bin", f.replace(/\.ts$/, ".mjs")), 0o755);
  // The dashboard's stylesheet and script, read at run time next to the bundle (web/dashboard/assets.ts).
  cpSync("src/web/dashboard/static", "dist/static", { recursive: true });
  // The daemon's V8 flags, given at start-up (v8.setFlagsFromString is too late), hence the shebang:
  // - a small young generation: it keeps few short-lived objects, and V8's default 16 MiB
  //   semi-spaces inflated its RSS ~2x after a burst of spawns (docs/benchmarks.md);
  // - an 8x interrupt budget: the daemon's work comes in bursts (start or stop 1000 processes once)
  //   in which V8's default tier-up had TurboFan compile the burst's functions halfway through it,
  //   a third of the daemon's CPU for a stop-all; code that stays busy is still optimized, later.
  const daemon = "dist/bin/supervisord.mjs";
  if (existsSync(daemon)) {
    const text = readFileSync(daemon, "utf8");
    writeFileSync(daemon, text.replace(/^#!\/usr\/bin\/env node\n/, `#!/usr/bin/env -S node ${DAEMON_NODE_FLAGS.join(" ")}\n`));
  }
}

// The daemon's native spawner (src/supervisord/process/native-*.c): a Node-API addon compiled
// with the system C compiler against the headers that come with Node (<prefix>/include/node, as
// node-gyp uses). Without a compiler or headers the daemon falls back to node:child_process, so a
// failure here is a warning, not an error.
function buildNativeSpawner() {
  const dir = "src/supervisord/process";
  const sources = [`${dir}/native-spawn.c`, `${dir}/native-output.c`];
  const output = "dist/native/spawner.node";
  const newest = Math.max(...[...sources, `${dir}/native-addon.h`].map((f) => statSync(f).mtimeMs));
  if (existsSync(output) && statSync(output).mtimeMs >= newest) return;
  const include = [join(dirname(process.execPath), "..", "include", "node"), "/usr/include/node", "/usr/local/include/node"].find((d) =>
    existsSync(join(d, "node_api.h")),
  );
  if (!include) {
    console.warn("build: no Node headers (include/node/node_api.h); the daemon will spawn with node:child_process");
    return;
  }
  mkdirSync(dirname(output), { recursive: true });
  const cc = process.env.CC || "cc";
  const args = ["-O2", "-Wall", "-Wextra", "-Wno-unused-parameter", "-shared", "-fPIC", "-fvisibility=hidden"];
  // Compiled beside and renamed over: a running daemon keeps its mapping of the old file.
  const temp = `${output}.${process.pid}.tmp`;
  args.push("-DNODE_GYP_MODULE_NAME=spawner", `-I${include}`, "-o", temp, ...sources);
  const r = spawnSync(cc, args, { stdio: ["ignore", "inherit", "inherit"] });
  if (r.status === 0) renameSync(temp, output);
  else {
    rmSync(temp, { force: true });
    console.warn(`build: ${cc} could not build ${output} (${r.error?.message ?? `exit ${r.status}`}); the daemon will spawn with node:child_process`);
  }
}

// The client package entry `supervisord-ts/client` (package.json "exports"): one ESM bundle of
// src/client/ (ws and saxes stay dependencies, resolved from node_modules), and its declarations
// from tsc (tsconfig.client.json, incremental: about 1.5 s), re-exported at dist/client/index.d.ts.
await build({
  entryPoints: ["src/client/index.ts"],
  outfile: "dist/client/index.js",
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  sourcemap: "linked",
  external: ["ws", "saxes"],
  logLevel: "warning",
});
const clientTypes = spawnSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.client.json"], { stdio: "inherit" });
if (clientTypes.status !== 0) throw new Error(`tsc -p tsconfig.client.json failed (${clientTypes.error?.message ?? `exit ${clientTypes.status}`})`);
writeFileSync("dist/client/index.d.ts", 'export * from "./types/client/index.js";\n');
