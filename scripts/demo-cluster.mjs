// `npm start`: the demo Supvisors cluster, three instances of our supervisord on this machine
// (examples/cluster/alpha.conf, beta.conf, gamma.conf), in the foreground with their main-log
// lines prefixed by their nick. Ctrl-C stops the three (and their programs).
import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const repo = join(dirname(fileURLToPath(import.meta.url)), "..");
const dir = join(repo, "examples", "cluster");
const daemon = join(repo, "dist", "bin", "supervisord.mjs");
const instances = [
  ["alpha", 9001],
  ["beta", 9011],
  ["gamma", 9021],
];

const children = instances.map(([nick]) => {
  mkdirSync(join(dir, "run", nick), { recursive: true });
  const child = spawn(process.execPath, [daemon, "-c", join(dir, `${nick}.conf`), "-n"], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
  const prefix = `${nick.padEnd(5)} | `;
  for (const stream of [child.stdout, child.stderr]) {
    let rest = "";
    stream.on("data", (chunk) => {
      const lines = (rest + chunk).split("\n");
      rest = lines.pop();
      for (const line of lines) process.stdout.write(prefix + line + "\n");
    });
  }
  child.on("exit", (code, signal) => process.stdout.write(`${prefix}exited (${signal ?? code})\n`));
  return child;
});

process.stdout.write(
  [
    "Demo cluster starting: the dashboard of any instance controls all three:",
    ...instances.map(([nick, port]) => `  ${nick}: http://127.0.0.1:${port}/`),
    `  ctl:   node dist/bin/supvisorsctl.mjs -c examples/cluster/alpha.conf sstatus`,
    "Ctrl-C stops the cluster.",
    "",
  ].join("\n"),
);

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGTERM");
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null || c.signalCode !== null ? r() : c.once("exit", r)))));
