// Screenshots of the dashboard for the README (docs/dashboard/*.png): runs the demo cluster
// (scripts/demo-cluster.mjs, ports 9001/9011/9021), waits for its applications, makes a
// conflict for the conciliation page, and shoots each page in headless chromium.
// Needs a build (npm run build), Debian's chromium and playwright-core (a dev dependency).
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const repo = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(repo, "docs", "dashboard");
mkdirSync(out, { recursive: true });

function rpc(port, method, params = []) {
  const body = `<?xml version="1.0"?><methodCall><methodName>${method}</methodName><params>${params.map((p) => `<param><value>${typeof p === "boolean" ? `<boolean>${p ? 1 : 0}</boolean>` : `<string>${p}</string>`}</value></param>`).join("")}</params></methodCall>`;
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path: "/RPC2", method: "POST", headers: { "Content-Type": "text/xml" } }, (res) => {
      let text = "";
      res.on("data", (c) => (text += c));
      res.on("end", () => resolve(text));
    });
    req.on("error", reject);
    req.end(body);
  });
}

async function until(what, check, ms = 60_000) {
  const end = Date.now() + ms;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      /* not yet */
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const demo = spawn(process.execPath, [join(repo, "scripts", "demo-cluster.mjs")], { stdio: "ignore" });
const profile = mkdtempSync(join(tmpdir(), "chromium-shots-"));
let ctx;
try {
  await until("the demo's web application running", async () => (await rpc(9001, "supvisors.get_application_info", ["web"])).includes("<string>RUNNING</string>"));
  await until("statistics", async () => (await rpc(9001, "supvisors.get_statistics_status")).includes("host_stats"));
  // Several statistics points for the plots (2 s collecting period, 10 s integration period).
  await new Promise((r) => setTimeout(r, 45_000));
  ctx = await chromium.launchPersistentContext(profile, {
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"],
    viewport: { width: 1280, height: 800 },
  });
  const page = ctx.pages()[0] ?? (await ctx.newPage());
  const shots = [
    ["index", "http://127.0.0.1:9001/index.html"],
    ["application", "http://127.0.0.1:9001/application.html?appname=web&strategy=LESS_LOADED"],
    ["proc_instance", "http://127.0.0.1:9001/proc_instance.html?processname=db:database"],
    ["host_instance", "http://127.0.0.1:9001/host_instance.html"],
  ];
  for (const [name, url] of shots) {
    await page.goto(url);
    await page.waitForTimeout(1500);
    await page.screenshot({ path: join(out, `${name}.png`), fullPage: true });
  }
  // A conflict: the report program started by hand on two instances.
  await rpc(9011, "supervisor.startProcess", ["reports:report", true]);
  await rpc(9021, "supervisor.startProcess", ["reports:report", true]);
  await until("the conflict", async () => (await rpc(9001, "supvisors.get_conflicts")).includes("report"), 20_000).catch(() => undefined);
  await page.goto("http://127.0.0.1:9001/conciliation.html");
  await page.waitForTimeout(1000);
  await page.screenshot({ path: join(out, "conciliation.png"), fullPage: true });
  console.log(`screenshots in ${out}`);
} finally {
  await ctx?.close();
  rmSync(profile, { recursive: true, force: true });
  demo.kill("SIGTERM");
  await new Promise((r) => demo.once("exit", r));
}
