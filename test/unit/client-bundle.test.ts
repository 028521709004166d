/**
 * The client talks over the wire only (DESIGN.md dependency rules): bundled from
 * src/client/index.ts as scripts/build.mjs does (ws and saxes external), its inputs are
 * src/client/**, src/protocol/** and the self-contained XML-RPC codec, and the bundle imports
 * nothing but ws, saxes and Node's built-ins. Anything of the daemon showing up here (its process,
 * service, config or http modules, src/supvisors/**) would be a dependency leak.
 */
import { build } from "esbuild";
import t from "tap";
import { REPO } from "../helpers/daemon.js";

const CODEC = ["codec", "encode", "decode", "values", "python-float", "byte-writer"].map((f) => `src/supervisord/rpc/${f}.ts`);

t.test("the client bundle holds only the client, the protocol constants and the codec; it imports only ws and saxes", async (t) => {
  const result = await build({
    absWorkingDir: REPO,
    entryPoints: ["src/client/index.ts"],
    bundle: true,
    platform: "node",
    format: "esm",
    external: ["ws", "saxes"],
    write: false,
    outfile: "client.js",
    metafile: true,
    logLevel: "silent",
  });
  const inputs = Object.keys(result.metafile.inputs);
  const foreign = inputs.filter((f) => !f.startsWith("src/client/") && !f.startsWith("src/protocol/") && !CODEC.includes(f));
  t.same(foreign, [], "no module of the daemon, nothing from node_modules bundled");
  t.ok(inputs.includes("src/client/index.ts"));
  t.same(CODEC.filter((f) => !inputs.includes(f)), [], "the whole codec is in");
  const imports = Object.values(result.metafile.outputs).flatMap((o) => o.imports.map((i) => i.path));
  const packages = [...new Set(imports.filter((p) => !p.startsWith("node:")))].sort();
  t.same(packages, ["saxes", "ws"], "the bundle imports ws and saxes, and Node's built-ins");
});
