/**
 * The disabilities_file: Supvisors' format (Python json.dumps of {program: bool}), missing file =
 * all enabled, clear errors for a bad file, atomic saves applied in call order.
 */
import t, { type Test } from "tap";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadDisabilities, saveDisabilities } from "../../src/supvisors/local/disabilities.js";

function tempDir(t: Test): string {
  const dir = mkdtempSync(join(tmpdir(), "disab-"));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function rejection(t: Test, p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    t.type(err, Error);
    return (err as Error).message;
  }
  t.fail("expected a rejection");
  return "";
}

t.test("no file configured: load gives an empty map, save does nothing", async (t) => {
  t.strictSame(await loadDisabilities(null), new Map());
  await saveDisabilities(null, new Map([["a", true]]));
});

t.test("a missing file: every program enabled", async (t) => {
  const dir = tempDir(t);
  t.strictSame(await loadDisabilities(join(dir, "none.json")), new Map());
});

t.test("written as Supvisors writes it (Python json.dumps), read back in order", async (t) => {
  const dir = tempDir(t);
  const file = join(dir, "disabilities.json");
  const map = new Map([
    ["prg_b", true],
    ["prg_a", false],
  ]);
  await saveDisabilities(file, map);
  t.equal(readFileSync(file, "utf8"), '{"prg_b": true, "prg_a": false}');
  const back = await loadDisabilities(file);
  t.strictSame([...back], [...map]);
});

t.test("an empty map is {}", async (t) => {
  const file = join(tempDir(t), "d.json");
  await saveDisabilities(file, new Map());
  t.equal(readFileSync(file, "utf8"), "{}");
  t.strictSame(await loadDisabilities(file), new Map());
});

t.test("names are escaped as json.dumps does (ensure_ascii)", async (t) => {
  const file = join(tempDir(t), "d.json");
  const name = 'é\u007f\u0001"\\\n😀';
  await saveDisabilities(file, new Map([[name, true]]));
  // python3 -c 'import json; print(json.dumps({"é\u007f\x01\"\\\n😀": True}))'
  t.equal(readFileSync(file, "utf8"), '{"\\u00e9\\u007f\\u0001\\"\\\\\\n\\ud83d\\ude00": true}');
  t.strictSame([...(await loadDisabilities(file))], [[name, true]]);
});

t.test("a file written by Supvisors (any JSON spacing) is read", async (t) => {
  const file = join(tempDir(t), "d.json");
  writeFileSync(file, '{\n  "web": true,\n  "db":false\n}\n');
  t.strictSame([...(await loadDisabilities(file))], [
    ["web", true],
    ["db", false],
  ]);
});

t.test("not JSON: an error naming the file and why", async (t) => {
  const file = join(tempDir(t), "d.json");
  for (const text of ["", "{", "{'a': True}", '{"a": true,}']) {
    writeFileSync(file, text);
    const msg = await rejection(t, loadDisabilities(file));
    t.match(msg, `disabilities file ${file} is not valid JSON: `, JSON.stringify(text));
  }
});

t.test("JSON that is not an object of booleans: an error naming the file and what is wrong", async (t) => {
  const file = join(tempDir(t), "d.json");
  const cases: [string, string][] = [
    ["[]", "not an array"],
    ["null", "not null"],
    ["true", "not a boolean"],
    ['"x"', "not a string"],
  ];
  for (const [text, why] of cases) {
    writeFileSync(file, text);
    const msg = await rejection(t, loadDisabilities(file));
    t.match(msg, file, text);
    t.match(msg, why, text);
  }
  writeFileSync(file, '{"ok": true, "web": 1}');
  const msg = await rejection(t, loadDisabilities(file));
  t.match(msg, file);
  t.match(msg, 'program "web" must be true or false, not a number');
  writeFileSync(file, '{"web": {"x": 1}}');
  t.match(await rejection(t, loadDisabilities(file)), "not an object");
});

t.test("unreadable (a directory in its place): an error naming the file", async (t) => {
  const file = join(tempDir(t), "d.json");
  mkdirSync(file);
  const msg = await rejection(t, loadDisabilities(file));
  t.match(msg, `cannot read disabilities file ${file}: `);
  t.match(msg, "EISDIR");
});

t.test("a save replaces the file atomically and leaves no temporary file", async (t) => {
  const dir = tempDir(t);
  const file = join(dir, "d.json");
  writeFileSync(file, '{"old": true, "older": true}');
  await saveDisabilities(file, new Map([["new", true]]));
  t.equal(readFileSync(file, "utf8"), '{"new": true}');
  t.strictSame(readdirSync(dir), ["d.json"]);
});

t.test("missing directories of the path are created", async (t) => {
  const file = join(tempDir(t), "a", "b", "d.json");
  await saveDisabilities(file, new Map([["x", false]]));
  t.equal(readFileSync(file, "utf8"), '{"x": false}');
});

t.test("a failed save: an error naming the file, the old file and no temporary left", async (t) => {
  const dir = tempDir(t);
  const file = join(dir, "d.json");
  mkdirSync(file); // rename over a directory fails
  const msg = await rejection(t, saveDisabilities(file, new Map([["x", true]])));
  t.match(msg, `cannot write disabilities file ${file}: `);
  t.strictSame(readdirSync(dir), ["d.json"]);
  const blocked = join(dir, "plain");
  writeFileSync(blocked, "");
  t.match(await rejection(t, saveDisabilities(join(blocked, "d.json"), new Map())), `cannot write disabilities file ${join(blocked, "d.json")}`);
});

t.test("saves to one file land in call order; the map is read at the call", async (t) => {
  const file = join(tempDir(t), "d.json");
  const map = new Map<string, boolean>();
  const saves: Promise<void>[] = [];
  for (let i = 0; i < 20; i++) {
    map.set(`p${i}`, i % 2 === 0);
    saves.push(saveDisabilities(file, map));
  }
  map.set("later", true); // after the last call: not in any save
  await Promise.all(saves);
  const back = await loadDisabilities(file);
  t.equal(back.size, 20);
  t.equal(back.get("p19"), false);
  t.equal(back.has("later"), false);
});

t.test("a failed save does not block the saves queued behind it", async (t) => {
  const dir = tempDir(t);
  const file = join(dir, "d.json");
  mkdirSync(file);
  const first = saveDisabilities(file, new Map([["x", true]]));
  const second = saveDisabilities(file, new Map([["y", true]])); // queued behind the first
  await rejection(t, first);
  await rejection(t, second); // ran (and failed the same way) instead of hanging
  rmSync(file, { recursive: true });
  await saveDisabilities(file, new Map([["z", true]]));
  t.equal(readFileSync(file, "utf8"), '{"z": true}');
});
