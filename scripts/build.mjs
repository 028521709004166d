// Bundles each entry in src/bin/ into dist/bin/<name>.mjs with esbuild.
// One bundle per command keeps start-up at Node's own start time (see shared/research/stack.md §8).
import { build } from "esbuild";
import { readdirSync, chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

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
  // The daemon runs with a small young generation: it keeps few short-lived objects, and V8's
  // default 16 MiB semi-spaces inflated its RSS ~2x after a burst of spawns (docs/benchmarks.md).
  // The flag must be given at start-up (v8.setFlagsFromString is too late), hence the shebang.
  const daemon = "dist/bin/supervisord.mjs";
  if (existsSync(daemon)) {
    const text = readFileSync(daemon, "utf8");
    writeFileSync(daemon, text.replace(/^#!\/usr\/bin\/env node\n/, "#!/usr/bin/env -S node --max-semi-space-size=1\n"));
  }
}
