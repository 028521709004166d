import t from "tap";
import { pythonBytesRepr, decodeChunk } from "../../src/supervisord/text.js";

t.test("pythonBytesRepr matches Python's repr(bytes)", async (t) => {
  t.equal(pythonBytesRepr(Buffer.from([0x63, 0x61, 0x66, 0xc3, 0xa9, 0x20, 0xff, 0x0a])), "b'caf\\xc3\\xa9 \\xff\\n'");
  t.equal(pythonBytesRepr(Buffer.from("it's")), 'b"it\'s"');
  t.equal(pythonBytesRepr(Buffer.from("a'b\"c")), "b'a\\'b\"c'");
  t.equal(pythonBytesRepr(Buffer.from("\\\t\r\x00\x7f")), "b'\\\\\\t\\r\\x00\\x7f'");
  t.equal(pythonBytesRepr(Buffer.alloc(0)), "b''");
});

t.test("decodeChunk keeps UTF-8 and marks the rest", async (t) => {
  t.equal(decodeChunk(Buffer.from("héllo\n")), "héllo\n");
  t.equal(decodeChunk(Buffer.from([0x61, 0xff])), "Undecodable: b'a\\xff'");
});
