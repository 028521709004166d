import t from "tap";
import {
  autoRestart,
  boolean,
  byteSize,
  inetAddress,
  integer,
  listOfExitcodes,
  loggingLevel,
  octal,
  processOrGroupName,
  expandUser,
  pyDirname,
  logfileName,
  existingDirpath,
  nameToUid,
  colonSeparatedUserGroup,
} from "../../src/supervisord/config/datatypes.js";
import type { UserDatabase } from "../../src/supervisord/config/users.js";
import { dictOfKeyValuePairs } from "../../src/supervisord/config/env-pairs.js";

type Row = [string, { ok: unknown } | { error: string }];

// Expected results of supervisor.datatypes (4.2.5) on the same inputs.
const CASES: Record<string, Row[]> = {
 "boolean": [
  [
   "yes",
   {
    "ok": true
   }
  ],
  [
   "TRUE",
   {
    "ok": true
   }
  ],
  [
   "On",
   {
    "ok": true
   }
  ],
  [
   "1",
   {
    "ok": true
   }
  ],
  [
   "no",
   {
    "ok": false
   }
  ],
  [
   "False",
   {
    "ok": false
   }
  ],
  [
   "OFF",
   {
    "ok": false
   }
  ],
  [
   "0",
   {
    "ok": false
   }
  ],
  [
   "maybe",
   {
    "error": "not a valid boolean value: 'maybe'"
   }
  ],
  [
   " true",
   {
    "error": "not a valid boolean value: ' true'"
   }
  ]
 ],
 "integer": [
  [
   "1",
   {
    "ok": 1
   }
  ],
  [
   "+1_0",
   {
    "ok": 10
   }
  ],
  [
   " -5 ",
   {
    "ok": -5
   }
  ],
  [
   "1.5",
   {
    "error": "invalid literal for int() with base 10: '1.5'"
   }
  ],
  [
   "abc",
   {
    "error": "invalid literal for int() with base 10: 'abc'"
   }
  ],
  [
   "1__0",
   {
    "error": "invalid literal for int() with base 10: '1__0'"
   }
  ],
  [
   "_1",
   {
    "error": "invalid literal for int() with base 10: '_1'"
   }
  ]
 ],
 "byte_size": [
  [
   "1024",
   {
    "ok": 1024
   }
  ],
  [
   "1KB",
   {
    "ok": 1024
   }
  ],
  [
   "2mb",
   {
    "ok": 2097152
   }
  ],
  [
   "3GB",
   {
    "ok": 3221225472
   }
  ],
  [
   "0",
   {
    "ok": 0
   }
  ],
  [
   "1.5MB",
   {
    "error": "invalid literal for int() with base 10: '1.5'"
   }
  ],
  [
   "10kb ",
   {
    "error": "invalid literal for int() with base 10: '10kb '"
   }
  ],
  [
   "abc",
   {
    "error": "invalid literal for int() with base 10: 'abc'"
   }
  ],
  [
   "KB",
   {
    "error": "invalid literal for int() with base 10: ''"
   }
  ]
 ],
 "octal_type": [
  [
   "022",
   {
    "ok": 18
   }
  ],
  [
   "0o22",
   {
    "ok": 18
   }
  ],
  [
   "22",
   {
    "ok": 18
   }
  ],
  [
   "7",
   {
    "ok": 7
   }
  ],
  [
   "999",
   {
    "error": "999 can not be converted to an octal type"
   }
  ],
  [
   "0O7",
   {
    "ok": 7
   }
  ],
  [
   "+1_2",
   {
    "ok": 10
   }
  ],
  [
   "rwx",
   {
    "error": "rwx can not be converted to an octal type"
   }
  ],
  [
   "",
   {
    "error": " can not be converted to an octal type"
   }
  ]
 ],
 "logging_level": [
  [
   "info",
   {
    "ok": 20
   }
  ],
  [
   "DEBUG",
   {
    "ok": 10
   }
  ],
  [
   "Warn",
   {
    "ok": 30
   }
  ],
  [
   "blather",
   {
    "ok": 3
   }
  ],
  [
   "loud",
   {
    "error": "bad logging level name 'loud'"
   }
  ]
 ],
 "list_of_exitcodes": [
  [
   "0",
   {
    "ok": [
     0
    ]
   }
  ],
  [
   "0,2",
   {
    "ok": [
     0,
     2
    ]
   }
  ],
  [
   " 0, 1 ,255",
   {
    "ok": [
     0,
     1,
     255
    ]
   }
  ],
  [
   "0,256",
   {
    "error": "not a valid list of exit codes: '0,256'"
   }
  ],
  [
   "-1",
   {
    "error": "not a valid list of exit codes: '-1'"
   }
  ],
  [
   "a",
   {
    "error": "not a valid list of exit codes: 'a'"
   }
  ],
  [
   "",
   {
    "ok": []
   }
  ]
 ],
 "auto_restart": [
  [
   "true",
   {
    "ok": true
   }
  ],
  [
   "false",
   {
    "ok": false
   }
  ],
  [
   "unexpected",
   {
    "ok": "unexpected"
   }
  ],
  [
   "UNEXPECTED",
   {
    "ok": "unexpected"
   }
  ],
  [
   "Yes",
   {
    "ok": true
   }
  ],
  [
   "sometimes",
   {
    "error": "invalid 'autorestart' value 'sometimes'"
   }
  ]
 ],
 "process_or_group_name": [
  [
   "ok",
   {
    "ok": "ok"
   }
  ],
  [
   " spaced ",
   {
    "ok": "spaced"
   }
  ],
  [
   "a b",
   {
    "error": "Invalid name: 'a b' because of character: ' '"
   }
  ],
  [
   "a:b",
   {
    "error": "Invalid name: 'a:b' because of character: ':'"
   }
  ],
  [
   "a/b",
   {
    "error": "Invalid name: 'a/b' because of character: '/'"
   }
  ],
  [
   "a:b c",
   {
    "error": "Invalid name: 'a:b c' because of character: ' '"
   }
  ]
 ],
 "inet_address": [
  [
   "127.0.0.1:9001",
   {
    "ok": [
     "127.0.0.1",
     9001
    ]
   }
  ],
  [
   "*:9002",
   {
    "ok": [
     "",
     9002
    ]
   }
  ],
  [
   ":9003",
   {
    "ok": [
     "",
     9003
    ]
   }
  ],
  [
   "9004",
   {
    "ok": [
     "",
     9004
    ]
   }
  ],
  [
   "LOCALHOST:9",
   {
    "ok": [
     "localhost",
     9
    ]
   }
  ],
  [
   "abc",
   {
    "error": "not a valid port number: 'abc' "
   }
  ],
  [
   "host:",
   {
    "error": "no port number specified in ''"
   }
  ],
  [
   "host:70000",
   {
    "error": "70000 is above upper bound (65535)"
   }
  ],
  [
   "host:0",
   {
    "error": "0 is below lower bound (1)"
   }
  ]
 ]
};

const LEVELS: Record<string, number> = { critical: 50, error: 40, warn: 30, info: 20, debug: 10, trace: 5, blather: 3 };

const FUNCS: Record<string, (v: string) => unknown> = {
  boolean,
  integer,
  byte_size: byteSize,
  octal_type: octal,
  logging_level: (v) => LEVELS[loggingLevel(v)],
  list_of_exitcodes: listOfExitcodes,
  auto_restart: autoRestart,
  process_or_group_name: processOrGroupName,
  inet_address: (v) => {
    const r = inetAddress(v);
    return [r.host, r.port];
  },
};

for (const [name, rows] of Object.entries(CASES)) {
  t.test(`datatype ${name} matches supervisor.datatypes`, async (t) => {
    const fn = FUNCS[name]!;
    for (const [input, expected] of rows) {
      if ("ok" in expected) t.same(fn(input), expected.ok, JSON.stringify(input));
      else t.throws(() => fn(input), { message: expected.error }, JSON.stringify(input));
    }
  });
}

const users: UserDatabase = {
  userByName: (n) => (n === "app" ? { name: "app", uid: 1000, gid: 100, home: "/home/app" } : n === "root" ? { name: "root", uid: 0, gid: 0, home: "/root" } : undefined),
  userById: (id) => (id === 1000 ? { name: "app", uid: 1000, gid: 100, home: "/home/app" } : id === 0 ? { name: "root", uid: 0, gid: 0, home: "/root" } : undefined),
  groupByName: (n) => (n === "staff" ? { name: "staff", gid: 50 } : undefined),
  groupById: (id) => (id === 50 ? { name: "staff", gid: 50 } : undefined),
};
const ctx = { cwd: "/", env: { HOME: "/home/me" }, users };

t.test("users and groups", async (t) => {
  t.equal(nameToUid("app", users), 1000);
  t.equal(nameToUid("1000", users), 1000);
  t.throws(() => nameToUid("nosuch", users), { message: "Invalid user name nosuch" });
  t.throws(() => nameToUid("4242", users), { message: "Invalid user id 4242" });
  t.same(colonSeparatedUserGroup("app:staff", users), { uid: 1000, gid: 50 });
  t.same(colonSeparatedUserGroup("app", users), { uid: 1000, gid: -1 });
  t.throws(() => colonSeparatedUserGroup("app:nogroup", users), { message: "Invalid user:group definition app:nogroup" });
});

t.test("paths: ~ expansion, dirname, log file names", async (t) => {
  t.equal(expandUser("~/x", ctx), "/home/me/x");
  t.equal(expandUser("~app/x", ctx), "/home/app/x");
  t.equal(expandUser("~nosuch/x", ctx), "~nosuch/x");
  t.equal(expandUser("a/~/b", ctx), "a/~/b");
  t.equal(pyDirname("/a/b/c"), "/a/b");
  t.equal(pyDirname("c"), "");
  t.equal(pyDirname("/c"), "/");
  t.equal(pyDirname("a//b"), "a");
  t.same(logfileName(null, ctx), { kind: "auto" });
  t.same(logfileName("AUTO", ctx), { kind: "auto" });
  t.same(logfileName("Off", ctx), { kind: "none" });
  t.same(logfileName("NONE", ctx), { kind: "none" });
  t.equal(logfileName("Syslog", ctx), "syslog");
  t.same(logfileName("/tmp/x.log", ctx), { kind: "path", path: "/tmp/x.log" });
  t.same(logfileName("relative.log", ctx), { kind: "path", path: "relative.log" });
  t.throws(() => existingDirpath("/nonexistent/dir/x.log", ctx), {
    message: "The directory named as part of the path /nonexistent/dir/x.log does not exist",
  });
});

t.test("environment pairs (spec section 2.4 examples)", async (t) => {
  t.same(dictOfKeyValuePairs('A="x,y",B=plain'), { A: "x,y", B: "plain" });
  t.same(dictOfKeyValuePairs("A='sq v',B=\"dq v\""), { A: "sq v", B: "dq v" });
  t.same(dictOfKeyValuePairs('A=""'), { A: "" });
  t.same(dictOfKeyValuePairs("A=x, B=y"), { A: "x", B: "y" });
  t.same(dictOfKeyValuePairs("A=a b"), { A: "a" });
  t.same(dictOfKeyValuePairs("A=$HOME"), { A: "$" });
  t.same(dictOfKeyValuePairs("A=50%"), { A: "50" });
  t.same(dictOfKeyValuePairs('A="esc\\"q"'), { A: "esc\\" });
  t.same(dictOfKeyValuePairs("K.x=1"), { "K.x": "1" });
  t.same(dictOfKeyValuePairs(""), {});
  t.throws(() => dictOfKeyValuePairs("A=a=b"), { message: "Unexpected end of key/value pairs in value 'A=a=b'" });
  t.throws(() => dictOfKeyValuePairs("A=x,,B=y"), { message: "Unexpected end of key/value pairs in value 'A=x,,B=y'" });
  t.throws(() => dictOfKeyValuePairs('A="a b" B=c'), { message: "Unexpected end of key/value pairs in value 'A=\"a b\" B=c'" });
  t.throws(() => dictOfKeyValuePairs('A="open'), { message: "No closing quotation" });
});
