/**
 * `supervisord`: parse the command line, read the config, run the daemon (spec §1.1, §4).
 * Help and version are answered before anything heavy is imported.
 */
import { SUPERVISOR_VERSION } from "../supervisord/version.js";
import { parseSupervisordArgs, applyOverrides } from "../supervisord/config/cli.js";

const argv0 = process.argv[1] ?? "supervisord";

function fail(message: string): never {
  process.stderr.write(`Error: ${message}\nFor help, use ${argv0} -h\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  const cmd = parseSupervisordArgs(process.argv.slice(2), argv0);
  if (cmd.kind === "help") {
    process.stdout.write(cmd.text);
    return;
  }
  if (cmd.kind === "version") {
    process.stdout.write(`${SUPERVISOR_VERSION}\n`);
    return;
  }
  if (cmd.kind === "error") fail(cmd.message);

  const [{ readConfig }, { searchConfigFile, noConfigFoundMessage, ROOT_SEARCH_WARNING }, { formatConfigError }, daemonMod, dz] =
    await Promise.all([
      import("../supervisord/config/read.js"),
      import("../supervisord/config/search.js"),
      import("../supervisord/config/errors.js"),
      import("../supervisord/daemon.js"),
      import("../supervisord/daemon/daemonize.js"),
    ]);

  let file = cmd.configFile;
  if (!file) {
    if ((process.getuid?.() ?? 1) === 0) process.stderr.write(`${ROOT_SEARCH_WARNING}\n`);
    file = searchConfigFile(argv0, process.cwd()) ?? fail(noConfigFoundMessage(argv0));
  }
  const env = { ...process.env };
  delete env.SUPERVISORD_TS_DAEMON_CHILD;
  const load = () => applyOverrides(readConfig(file, { env }), cmd.overrides);

  let config;
  try {
    config = load();
  } catch (err) {
    process.stderr.write(formatConfigError(err as Error, argv0));
    process.exit(2);
  }

  const child = dz.isDaemonChild();
  if (!config.supervisord.nodaemon && !child) {
    const msg = await dz.startDetachedCopy();
    if (msg.kind === "error") fail(msg.message);
    process.exit(0);
  }
  if (child) {
    if (config.supervisord.directory) process.chdir(config.supervisord.directory);
    process.umask(config.supervisord.umask);
  }

  const daemon = new daemonMod.Supervisord({
    load,
    env,
    daemonized: child,
    onStarted: () => dz.reportToParent({ kind: "ready" }),
  });
  try {
    const status = await daemon.run(config);
    process.exit(status);
  } catch (err) {
    if (err instanceof daemonMod.StartupError) {
      dz.reportToParent({ kind: "error", message: err.message });
      fail(err.message);
    }
    throw err;
  }
}

void main();
