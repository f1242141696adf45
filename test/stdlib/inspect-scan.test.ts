// The parts of the namespace scan that read kernel text: mountinfo lines
// for nsfs mounts, uid_map files, command lines.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { commandOf, nsfsMounts } from "../../stdlib/inspect-scan.js";
import { readMap } from "../../stdlib/inspect-relations.js";

const test = suite("inspect-scan");

test("nsfsMounts finds namespace files by fstype, unescaping paths", () => {
  const text = [
    "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw",
    "45 27 0:4 net:[4026532174] /tmp/a\\040b rw - nsfs nsfs rw",
    "47 46 0:4 net:[4026532239] /run/netns/blue rw shared:2 - nsfs nsfs rw",
    "48 46 0:4 mnt:[4026532300] /x rw shared:3 master:1 - nsfs nsfs rw",
    "49 46 0:44 / /proc rw - proc proc rw",
  ].join("\n");
  assert.equal(nsfsMounts(text), [
    { kind: "net", inode: 4026532174, path: "/tmp/a b" },
    { kind: "net", inode: 4026532239, path: "/run/netns/blue" },
    { kind: "mnt", inode: 4026532300, path: "/x" },
  ]);
});

test("readMap reads inside, outside, count; null when unreadable", () => {
  const own = readMap("/proc/self/uid_map")!;
  const first = readFileSync("/proc/self/uid_map", "utf8").trim()
    .split(/\s+/).slice(0, 3).map(Number);
  assert.equal([own[0].inside, own[0].outside, own[0].count], first);
  assert.is(readMap("/proc/0/uid_map"), null);
});

test("commandOf: the command line on one line, [comm] for a kernel thread", () => {
  const argv = readFileSync("/proc/self/cmdline", "utf8").split("\0");
  assert.ok(commandOf(process.pid).startsWith(`${argv[0]} ${argv[1]}`));
  assert.ok(!commandOf(process.pid).includes("\n"));
  assert.is(commandOf(2), "[kthreadd]");
});

test.run();
