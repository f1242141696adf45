// Namespace handles: what the kernel says the files under /proc/PID/ns
// are, and the pid_for_children of a pid namespace that has no init yet.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { readlinkSync, statSync } from "node:fs";
import { KIND_NAMES } from "../../stdlib/kinds.js";
import {
  closeNs, nsId, nsInode, openNs, openProcessNs, ownNamespaces,
} from "../../stdlib/nsfiles.js";
import { launch } from "../../stdlib/launch.js";
import { SyscallError } from "../../stdlib/errors.js";
import { holderSpec } from "./support.js";

const test = suite("nsfiles");

test("openNs gives the namespace's inode, as readlink names it", () => {
  const h = openNs("/proc/self/ns/net", "net");
  try {
    assert.is(nsId("net", h.inode), readlinkSync("/proc/self/ns/net"));
    assert.is(h.kind, "net");
    assert.is(h.path, "/proc/self/ns/net");
    assert.ok(h.fd > 2);
  } finally {
    closeNs(h);
  }
  assert.is(h.fd, -1);
  closeNs(h);
});

test("openNs refuses a namespace file of another kind", () => {
  try {
    openNs("/proc/self/ns/mnt", "net");
    assert.unreachable("a mnt namespace opened as net");
  } catch (err) {
    assert.instance(err, SyscallError);
    assert.is((err as SyscallError).code, "EINVAL");
    assert.match((err as SyscallError).message, /a mnt namespace/);
  }
});

test("openNs refuses a file that is no namespace at all", () => {
  assert.throws(() => openNs("/etc/hostname", "uts"), /not a namespace/);
  assert.throws(() => openNs("/nonexistent", "uts"), /ENOENT/);
});

test("ownNamespaces has all eight kinds, cached", () => {
  const own = ownNamespaces();
  for (const kind of KIND_NAMES) {
    const file = kind === "pid" ? "pid_for_children"
      : kind === "time" ? "time_for_children" : kind;
    assert.is(own[kind].inode, statSync(`/proc/self/ns/${file}`).ino);
  }
  assert.is(ownNamespaces(), own);
});

test("nsInode reads /proc/PID/ns, for the process or its children", () => {
  assert.is(nsInode(process.pid, "uts", false),
    statSync("/proc/self/ns/uts").ino);
  assert.is(nsInode("self", "pid", true),
    statSync("/proc/self/ns/pid_for_children").ino);
});

test("pid_for_children of a pid namespace without init opens anyway",
  async () => {
    const holder = launch(holderSpec({ createForChildren: ["pid"] }));
    try {
      // /proc says ENOENT until the namespace has a PID 1.
      assert.throws(() => statSync(`/proc/${holder.pid}/ns/pid_for_children`));
      const h = openProcessNs(holder.pid, "pid", true);
      assert.is.not(h.inode, nsInode(holder.pid, "pid", false));
      assert.is(nsInode(holder.pid, "pid", true), h.inode);
      closeNs(h);
    } finally {
      holder.kill("SIGKILL");
      await holder.exited;
    }
  });

test.run();
