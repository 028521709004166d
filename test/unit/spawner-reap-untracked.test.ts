// The native reaper learns which children ended from their pidfds; a child it could not get a
// pidfd for (fd limit reached between its pipes and its pidfd) is found by the waitid walk
// instead. Both kinds in one daemon must each be reported once, with their own status.
import t from "tap";
import { execFileSync } from "node:child_process";
import * as path from "node:path";

const FIXTURE = path.join(import.meta.dirname, "../fixtures/spawn/until-emfile.ts");

interface Report {
  spawnerr: string;
  tracked: { live: number; untracked: number };
  after: { live: number; untracked: number };
  codes: [number, number | null][];
}

// Whether the last child that got its pipes also gets a pidfd depends on how many fds were left:
// three neighbouring limits cover every remainder.
const reports: Report[] = [60, 61, 62].map((limit) => {
  const out = execFileSync("prlimit", [`--nofile=${limit}:${limit}`, process.execPath, "--import", "tsx", FIXTURE], { encoding: "utf8", timeout: 60_000 });
  return JSON.parse(out) as Report;
});

for (const r of reports) {
  t.match(r.spawnerr, /^too many open files to spawn 'c\d+'$/, "the fd limit stopped the spawning");
  t.ok(r.codes.length > 0, `${r.codes.length} children ran`);
  t.same(
    r.codes.map(([, code]) => code),
    r.codes.map(([i]) => i % 50),
    "each child is reported with its own exit status",
  );
  t.equal(r.tracked.live, r.codes.length, "all were live together");
  t.same(r.after, { live: 0, untracked: 0 }, "nothing is left tracked once all were reported");
}
t.ok(
  reports.some((r) => r.tracked.untracked > 0),
  `at least one run had a child without a pidfd (${reports.map((r) => r.tracked.untracked).join(", ")})`,
);
t.ok(
  reports.every((r) => r.tracked.untracked < r.tracked.live),
  "and the others had theirs",
);
