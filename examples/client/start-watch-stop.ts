/**
 * Starts a Supvisors application, watches it come up on the event interface, stops it.
 *
 *   node --import tsx examples/client/start-watch-stop.ts [server_url] [application] [username password]
 *
 * server_url defaults to http://127.0.0.1:60000; the instance's event_link must be WS (its events
 * are read on the websocket at event_port, by default the HTTP port + 1). Exit status 0 when the
 * application went RUNNING and then STOPPED, 1 otherwise.
 */
import { RpcFaultError, RpcTransportError, SupvisorsClient, type SupvisorsEvent, type SupvisorsEventOf } from "supervisord-ts/client";

const [url = "http://127.0.0.1:60000", application = "my_movies", username, password] = process.argv.slice(2);
const TIMEOUT_MS = 60_000;

const client = new SupvisorsClient(url, username !== undefined && password !== undefined ? { username, password } : {});
const events = client.subscribe({ headers: ["application", "process"] });

/** One line per event about our application. */
function describe(e: SupvisorsEvent): string | null {
  switch (e.header) {
    case "application":
      return e.body.application_name === application ? `application ${application} ${e.body.statename}` : null;
    case "process": {
      const p = e.body;
      if (p.application_name !== application) return null;
      return `process ${p.application_name}:${p.process_name} ${p.statename}${p.identifiers.length ? ` on ${p.identifiers.join(", ")}` : ""}`;
    }
    default:
      return null;
  }
}

/** A predicate for the `application` event saying it reached `state`. */
const applicationIs =
  (state: "RUNNING" | "STOPPED") =>
  (e: SupvisorsEvent): e is SupvisorsEventOf<"application"> =>
    e.header === "application" && e.body.application_name === application && e.body.statename === state;

/** The application's state as its last event told it. */
let lastState: string | undefined;
events.on("message", (e) => {
  if (e.header === "application" && e.body.application_name === application) lastState = e.body.statename;
  const line = describe(e);
  if (line) console.log(`event: ${line}`);
});

/**
 * Runs a wait=true call, then waits for the application event saying `state` unless it came
 * already. The call answers once the whole start (stop) sequence is done; the events travel on
 * another connection, so the last one may come just before or just after the answer. (Waiting for
 * the first RUNNING event alone would be too early: an application shows RUNNING as soon as its
 * first rank runs, while the next ranks are still to start.)
 */
async function until(state: "RUNNING" | "STOPPED", call: () => Promise<boolean>): Promise<void> {
  await call();
  if (lastState !== state) await events.waitFor(applicationIs(state), { timeoutMs: TIMEOUT_MS });
  console.log(`${application} is ${state}`);
}
events.on("open", ({ reconnected }) => console.log(`events: ${reconnected ? "resubscribed" : "subscribed"} to ${events.url}`));
events.on("reconnecting", ({ attempt, delayMs }) => console.log(`events: connection lost, retry ${attempt} in ${delayMs} ms`));

try {
  await events.opened(10_000);
  const state = await client.supvisors.getSupvisorsState();
  console.log(`connected to ${state.nick_identifier} (${state.identifier}): Supvisors is ${state.fsm_statename}, Master ${state.master_identifier || "none"}`);

  const info = await client.supvisors.getApplicationInfo(application);
  console.log(`${application} is ${info.statename}${info.managed ? "" : " (not managed: no rules)"}`);

  console.log(`starting ${application}`);
  await until("RUNNING", () => client.supvisors.startApplication("CONFIG", application));
  console.log(`stopping ${application}`);
  await until("STOPPED", () => client.supvisors.stopApplication(application));
} catch (err) {
  if (err instanceof RpcFaultError) console.log(`refused: ${err.name} (${err.code}): ${err.detail}`);
  else if (err instanceof RpcTransportError) console.log(`cannot talk to ${err.url}: ${err.message}${err.status ? ` (HTTP ${err.status})` : ""}`);
  else console.log(`failed: ${(err as Error).message}`);
  process.exitCode = 1;
} finally {
  await client.close();
}
