// Bundles each entry in src/bin/ into dist/bin/<name>.mjs with esbuild.
// One bundle per command keeps start-up at Node's own start time (see shared/research/stack.md §8).
import { build } from "esbuild";
import { readdirSync, chmodSync, existsSync } from "node:fs";
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
}
