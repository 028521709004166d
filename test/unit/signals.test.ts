import t from "tap";
import { signalNumber, signalName, signame, signalShortName, SignalValueError } from "../../src/supervisord/signals.js";

// Expected values from supervisor.datatypes.signal_number (4.2.5, CPython 3.11, Linux).
const CASES: [string, number | { error: string }][] = [
  ["TERM", 15], ["SIGTERM", 15], ["sigterm", 15], [" term ", 15], ["15", 15], [" 15 ", 15], ["+15", 15],
  ["1_5", 15], ["0", 0], ["_DFL", 0], ["IOT", 6], ["cld", 17], ["poll", 29], ["rtmin", 34], ["RTMAX", 64],
  ["34", 34], ["35", { error: "value '35' is not a valid signal number" }],
  ["99", { error: "value '99' is not a valid signal number" }],
  ["FOO", { error: "value 'FOO' is not a valid signal name" }],
  ["-1", { error: "value '-1' is not a valid signal number" }],
  ["SIG", { error: "value 'SIG' is not a valid signal name" }], ["sig_ign", 1],
  ["1.5", { error: "value '1.5' is not a valid signal name" }],
  ["", { error: "value '' is not a valid signal name" }],
  ["it's", { error: "value \"it's\" is not a valid signal name" }], ["HUP\n", 1],
  ["constructor", { error: "value 'constructor' is not a valid signal name" }],
];

t.test("signalNumber matches supervisord's signal datatype", async (t) => {
  for (const [input, expected] of CASES) {
    if (typeof expected === "number") t.equal(signalNumber(input), expected, JSON.stringify(input));
    else t.throws(() => signalNumber(input), new SignalValueError(expected.error), JSON.stringify(input));
  }
  t.equal(signalNumber(9), 9);
  t.throws(() => signalNumber(99), { message: "value 99 is not a valid signal number" });
});

t.test("signal names", async (t) => {
  t.equal(signalName(15), "SIGTERM");
  t.equal(signalName(6), "SIGABRT");
  t.equal(signalName(29), "SIGIO");
  t.equal(signalName(17), "SIGCHLD");
  t.equal(signalName(64), "SIGRTMAX");
  t.equal(signalName(35), "signal 35");
  t.equal(signame(29), "SIGPOLL");
  t.equal(signame(9), "SIGKILL");
  t.equal(signame(0), "signal 0");
  t.equal(signalShortName(1), "HUP");
});
