/**
 * passwd/group lookups (Python's pwd/grp modules) by reading /etc/passwd and /etc/group: Node
 * has no getpwnam. Injectable so tests do not depend on the machine's accounts.
 */
import { readFileSync } from "node:fs";

export interface PasswdEntry {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
  readonly home: string;
}
export interface GroupEntry {
  readonly name: string;
  readonly gid: number;
}

export interface UserDatabase {
  userByName(name: string): PasswdEntry | undefined;
  userById(uid: number): PasswdEntry | undefined;
  groupByName(name: string): GroupEntry | undefined;
  groupById(gid: number): GroupEntry | undefined;
}

function readLines(path: string): string[][] {
  try {
    return readFileSync(path, "utf8")
      .split("\n")
      .filter((l) => l && !l.startsWith("#"))
      .map((l) => l.split(":"));
  } catch {
    return [];
  }
}

/** The system database, read from the given files (first match wins, like getpwnam). */
export function fileUserDatabase(passwdPath = "/etc/passwd", groupPath = "/etc/group"): UserDatabase {
  const users: PasswdEntry[] = readLines(passwdPath)
    .filter((f) => f.length >= 7)
    .map((f) => ({ name: f[0]!, uid: Number(f[2]), gid: Number(f[3]), home: f[5]! }));
  const groups: GroupEntry[] = readLines(groupPath)
    .filter((f) => f.length >= 3)
    .map((f) => ({ name: f[0]!, gid: Number(f[2]) }));
  return {
    userByName: (name) => users.find((u) => u.name === name),
    userById: (uid) => users.find((u) => u.uid === uid),
    groupByName: (name) => groups.find((g) => g.name === name),
    groupById: (gid) => groups.find((g) => g.gid === gid),
  };
}
