/**
 * The Java client (clients/java) for tap tests: whether a JDK and JeroMQ are here, and the client's
 * sources plus a test program compiled into a temporary directory (each test file its own, so test
 * files running in parallel never share class files).
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const JAVA_ROOT = new URL("../../clients/java/", import.meta.url).pathname;
/** Debian's libjeromq-java: the ZeroMQ subscriber's only dependency. */
export const JEROMQ = "/usr/share/java/jeromq.jar";

/** Why the Java tests cannot run here, or null when they can. */
export function javaMissing(): string | null {
  if (spawnSync("javac", ["-version"]).status !== 0 || spawnSync("java", ["-version"]).status !== 0) {
    return "javac / java missing (Debian's openjdk-17-jdk-headless)";
  }
  if (!existsSync(JEROMQ)) return `${JEROMQ} missing (Debian's libjeromq-java)`;
  return null;
}

export function javaFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...javaFiles(p));
    else if (name.endsWith(".java")) out.push(p);
  }
  return out;
}

export interface CompiledJava {
  /** The directory of the class files. */
  readonly classes: string;
  /** The class path to run them with. */
  readonly classpath: string;
  /** javac's output when it failed, else null. */
  readonly failure: string | null;
  cleanup(): void;
}

/** Compiles clients/java/src and the test programs of clients/java/test (they share Json.java). */
export function compileJava(): CompiledJava {
  const classes = mkdtempSync(join(tmpdir(), "sv-java-classes-"));
  const sources = [...javaFiles(join(JAVA_ROOT, "src")), ...javaFiles(join(JAVA_ROOT, "test"))];
  const r = spawnSync("javac", ["-nowarn", "-encoding", "UTF-8", "-d", classes, "-cp", JEROMQ, ...sources], { encoding: "utf8" });
  return {
    classes,
    classpath: `${classes}:${JEROMQ}`,
    failure: r.status === 0 ? null : `${r.stdout}${r.stderr}`,
    cleanup: () => rmSync(classes, { recursive: true, force: true }),
  };
}

export interface JavaRun {
  readonly stdout: string;
  readonly stderr: string;
  readonly status: number | null;
}

/**
 * Runs `java <javaArgs>` (["-cp", classpath, main, ...] or ["-jar", jar, ...]) to its end,
 * asynchronously: the daemons the test started keep being served meanwhile.
 */
export function runJava(javaArgs: readonly string[], timeoutMs = 120_000): Promise<JavaRun> {
  return new Promise((resolve, reject) => {
    const child = spawn("java", javaArgs, { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.once("error", reject);
    child.once("exit", (status) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, status });
    });
  });
}
