/** Runs a snippet with the system Python (the oracle's interpreter) and returns its stdout. */
import { execFile, execFileSync } from "node:child_process";

export const PYTHON = "/usr/bin/python3";

export function runPython(code: string, input = ""): string {
  return execFileSync(PYTHON, ["-c", code], { input, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
}

/** Python's xmlrpc.client.dumps of a JSON-described value list (methodresponse or call). */
export function pythonDumps(pyExpr: string, methodName?: string): string {
  const call = methodName === undefined ? "methodresponse=True" : `methodname=${JSON.stringify(methodName)}`;
  return runPython(
    `import sys, xmlrpc.client as x, datetime\nsys.stdout.write(x.dumps((${pyExpr},), ${call}))`,
  );
}

/** Like runPython but without blocking the event loop (needed when Python calls our own server). */
export function runPythonAsync(code: string, input = ""): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(PYTHON, ["-c", code], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${err.message}\n${stderr}`));
      else resolve(stdout);
    });
    child.stdin?.end(input);
  });
}
