// rtnetlink messages as bytes, without a socket: the encoding the kernel
// expects (four-byte aligned attributes, nested ones inside a parent)
// and the parsing of what it sends back.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { attrs, cstr, message, parseAttrs, replies } from "../stdlib/netlink.js";
import { parseCidr } from "../stdlib/net-jobs.js";

test("an attribute is length, type, payload, padded to four bytes", () => {
  const b = attrs([[3, cstr("va")]]);
  assert.equal([...b], [7, 0, 3, 0, 0x76, 0x61, 0, 0]);
});

test("nested attributes sit inside their parent's payload", () => {
  const b = attrs([[18, [[1, cstr("veth")]]]]);
  assert.is(b.readUInt16LE(0), 4 + 12, "parent covers the child");
  assert.is(b.readUInt16LE(4), 9, "child: 4 + 'veth' + NUL");
  const inner = parseAttrs(b, 4);
  assert.is(inner.get(1)!.toString(), "veth\0");
});

test("a message carries its length, type, request flag and a new seq", () => {
  const a = message(16, 0x4, Buffer.alloc(16));
  const b = message(16, 0x4, Buffer.alloc(16));
  assert.is(a.readUInt32LE(0), 32);
  assert.is(a.readUInt16LE(4), 16);
  assert.is(a.readUInt16LE(6), 0x5, "NLM_F_REQUEST is always set");
  assert.is(b.readUInt32LE(8), a.readUInt32LE(8) + 1);
});

test("replies splits a datagram into aligned messages", () => {
  const one = message(3, 0, Buffer.from([1, 2, 3, 0]));
  const two = message(2, 0, Buffer.alloc(4));
  const got = replies(Buffer.concat([one, two]));
  assert.equal(got.map((r) => r.type), [3, 2]);
  assert.equal([...got[0].body], [1, 2, 3, 0]);
});

test("parseCidr takes dotted quads with an optional prefix, nothing else", () => {
  assert.equal(parseCidr("10.200.0.1/24"), { address: [10, 200, 0, 1], prefix: 24 });
  assert.equal(parseCidr("10.200.0.1"), { address: [10, 200, 0, 1], prefix: 32 });
  for (const bad of ["10.200.0.256/24", "10.200.0.1/33", "10.200.0/24",
    "fe80::1/64", "10.200.0.1/", " 10.200.0.1/24"]) {
    assert.is(parseCidr(bad), null, bad);
  }
});

test.run();
