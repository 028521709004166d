/**
 * The dashboard's static files: its stylesheet and script (static/, copied next to the bundle
 * by scripts/build.mjs) and uPlot from its npm package, read once and served from memory. Nothing
 * comes from another origin (the pages' Content-Security-Policy says `'self'` only).
 */
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export interface Asset {
  readonly type: string;
  readonly body: Buffer;
}

const here = dirname(fileURLToPath(import.meta.url));
/** src/web/dashboard/static when run from the sources; dist/static from the bundle (dist/bin, dist/chunks). */
const STATIC_DIRS = [join(here, "static"), join(here, "..", "static")];

function staticFile(name: string): Buffer {
  for (const dir of STATIC_DIRS) {
    const path = join(dir, name);
    if (existsSync(path)) return readFileSync(path);
  }
  throw new Error(`dashboard asset ${name} not found in ${STATIC_DIRS.join(", ")}`);
}

function packageFile(spec: string): Buffer {
  return readFileSync(createRequire(import.meta.url).resolve(spec));
}

const JS = "text/javascript;charset=utf-8";
const CSS = "text/css;charset=utf-8";

const SOURCES: Readonly<Record<string, () => Asset>> = {
  "dashboard.css": () => ({ type: CSS, body: staticFile("dashboard.css") }),
  "dashboard.js": () => ({ type: JS, body: staticFile("dashboard.js") }),
  "uplot.js": () => ({ type: JS, body: packageFile("uplot/dist/uPlot.iife.min.js") }),
  "uplot.css": () => ({ type: CSS, body: packageFile("uplot/dist/uPlot.min.css") }),
};

const loaded = new Map<string, Asset>();

/** The asset named `name` (`dashboard.js`, `uplot.css`, ...), or null if there is none. */
export function dashboardAsset(name: string): Asset | null {
  const source = SOURCES[name];
  if (!source) return null;
  let a = loaded.get(name);
  if (!a) {
    a = source();
    loaded.set(name, a);
  }
  return a;
}
