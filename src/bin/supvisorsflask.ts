/**
 * supvisorsflask -u URL [-h HOST] [-p PORT] [-d]: the REST API in front of one Supervisor or
 * Supvisors instance, as a separate process (web/rest/flask-app.ts). Exit status 2 for a usage
 * error (argparse's), 1 when it cannot listen; it runs until SIGINT or SIGTERM.
 */
import { parseFlaskArgs, startFlaskServer } from "../web/rest/flask-app.js";

async function main(): Promise<void> {
  const args = parseFlaskArgs(process.argv.slice(2), process.env);
  if (args.kind === "help") {
    process.stdout.write(args.text);
    return;
  }
  if (args.kind === "error") {
    process.stderr.write(args.text);
    process.exitCode = 2;
    return;
  }
  const o = args.options;
  let running;
  try {
    running = await startFlaskServer(o, (line) => process.stderr.write(`${line}\n`));
  } catch (e) {
    process.stderr.write(`supvisorsflask: cannot listen on ${o.host}:${o.port}: ${(e as Error).message}\n`);
    process.exitCode = 1;
    return;
  }
  const address = running.server.address();
  const port = typeof address === "object" && address ? address.port : o.port;
  // The URL's password, if any, stays out of the output.
  process.stderr.write(` * Serving the REST API of ${o.url.replace(/\/\/[^@/]*@/, "//")}\n * Running on http://${o.host.includes(":") ? `[${o.host}]` : o.host}:${port}\n`);
  const stop = (): void => {
    void running.close().then(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

void main();
