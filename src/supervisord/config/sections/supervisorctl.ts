/**
 * `[supervisorctl]` (ClientOptions.read_config): serverurl and history_file know `%(here)s`;
 * prompt, username and password only ENV_ names. A unix:// serverurl is normalised.
 */
import { saneget, type ReadContext } from "../context.js";
import { normalizePath } from "../datatypes.js";
import type { SupervisorctlConfig } from "../types.js";

const S = "supervisorctl";

export function readSupervisorctlSection(ctx: ReadContext): SupervisorctlConfig {
  const here: [string, string][] = [["here", ctx.here]];
  let serverurl = saneget(ctx, S, "serverurl", { expansions: here }) ?? "http://localhost:9001";
  if (serverurl.startsWith("unix://")) serverurl = `unix://${normalizePath(serverurl.slice(7), ctx)}`;
  const prompt = saneget(ctx, S, "prompt") ?? "supervisor";
  const username = saneget(ctx, S, "username");
  const password = saneget(ctx, S, "password");
  const history = saneget(ctx, S, "history_file", { expansions: here });
  // Ours: the CA that verifies an https:// serverurl; absent from the result when not set.
  const caFile = saneget(ctx, S, "ca_file", { expansions: here });
  return {
    serverurl,
    prompt,
    username,
    password,
    history_file: history ? normalizePath(history, ctx) : null,
    ...(caFile ? { ca_file: normalizePath(caFile, ctx) } : {}),
  };
}
