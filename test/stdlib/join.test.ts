// The join path: holders, setns into their namespaces, pid namespaces
// made for children only, and what the kernel refuses.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { readlinkSync } from "node:fs";
import { launch } from "../../stdlib/launch.js";
import { nsId, nsInode, openProcessNs, closeNs } from
  "../../stdlib/nsfiles.js";
import { SyscallError } from "../../stdlib/errors.js";
import type { NsHandle } from "../../stdlib/types.js";
import { alive, holderSpec, run } from "./support.js";

const test = suite("join");

type Holder = ReturnType<typeof launch>;
const started: Holder[] = [];
const opened: NsHandle[] = [];

function holder(more: Parameters<typeof holderSpec>[0]): Holder {
  const h = launch(holderSpec(more));
  started.push(h);
  return h;
}

function handle(pid: number, kind: NsHandle["kind"], forChildren = false) {
  const h = openProcessNs(pid, kind, forChildren);
  opened.push(h);
  return h;
}

test.after.each(async () => {
  for (const h of started.splice(0)) {
    h.kill("SIGKILL");
    await h.exited;
  }
  for (const h of opened.splice(0)) closeNs(h);
});

test("a holder stays alive in its namespaces until killed", async () => {
  const h = holder({ create: ["net", "uts"] });
  assert.ok(alive(h.pid));
  assert.is(h.output, null);
  assert.is.not(nsInode(h.pid, "net", false), nsInode("self", "net", false));
  assert.ok(h.kill());
  assert.is((await h.exited).signal, "SIGTERM");
});

test("joining a holder's net namespace: same inode, seen from inside",
  async () => {
    const h = holder({ create: ["net"] });
    const net = handle(h.pid, "net");
    const r = await run(["readlink", "/proc/self/ns/net"], { join: { net } });
    assert.is(r.out.trim(), nsId("net", net.inode));
    assert.is(r.out.trim(), readlinkSync(`/proc/${h.pid}/ns/net`));
  });

test("a mount made in a joined mnt namespace is seen by the next joiner",
  async () => {
    const h = holder({ create: ["mnt"] });
    const mnt = handle(h.pid, "mnt");
    const a = await run(["mount", "-t", "tmpfs", "nsrepl-join", "/mnt"],
      { join: { mnt } });
    assert.is(a.status, 0);
    const b = await run(["grep", "-c", "nsrepl-join", "/proc/self/mounts"],
      { join: { mnt } });
    assert.is(b.out, "1\n");
  });

test("joining a running pid namespace: a new pid there, not PID 1",
  async () => {
    const h = holder({ create: ["pid", "mnt"], mountProc: true });
    const pid = handle(h.pid, "pid");
    const r = await run(["sh", "-c", "echo $$; readlink /proc/self/ns/pid"],
      { join: { pid } });
    const [inner, ns] = r.out.trim().split("\n");
    assert.ok(Number(inner) > 1, `pid inside is ${inner}`);
    assert.is(ns, nsId("pid", pid.inode));
  });

test("unshare pid for children: the first joiner is PID 1, then ENOMEM",
  async () => {
    const h = holder({ createForChildren: ["pid"] });
    assert.is.not(nsInode(h.pid, "pid", true), nsInode(h.pid, "pid", false));
    const pid = handle(h.pid, "pid", true);
    const first = await run(["sh", "-c", "echo $$"], { join: { pid } });
    assert.is(first.out, "1\n");
    try {
      launch(holderSpec({ argv: ["true"], join: { pid } }));
      assert.unreachable("forked into a pid namespace whose init exited");
    } catch (err) {
      const e = err as SyscallError;
      assert.instance(e, SyscallError);
      assert.is(e.code, "ENOMEM");
      assert.is(e.op, "fork");
      assert.is(e.object, `into pid namespace ${nsId("pid", pid.inode)}`);
      assert.match(e.rule!, /init \(PID 1\) has exited/);
    }
  });

test("setns into nsrepl's own user namespace: EINVAL with the rule", () => {
  const user = handle(process.pid, "user");
  try {
    launch(holderSpec({ argv: ["true"], join: { user } }));
    assert.unreachable("joined its own user namespace");
  } catch (err) {
    const e = err as SyscallError;
    assert.is(e.message, `setns(user) on ${user.path}: EINVAL ` +
      "(Invalid argument)");
    assert.match(e.rule!, /already in/);
  }
});

test("join and create together: joined net, new uts", async () => {
  const h = holder({ create: ["net"] });
  const net = handle(h.pid, "net");
  const r = await run(["sh", "-c",
    "readlink /proc/self/ns/net /proc/self/ns/uts"],
  { join: { net }, create: ["uts"] });
  const [n, u] = r.out.trim().split("\n");
  assert.is(n, nsId("net", net.inode));
  assert.is.not(u, readlinkSync("/proc/self/ns/uts"));
});

test("setns(time) moves the process itself: no second fork needed",
  async () => {
    const h = holder({ createForChildren: ["time"] });
    const time = handle(h.pid, "time", true);
    const r = await run(["readlink", "/proc/self/ns/time"],
      { join: { time } });
    assert.is(r.out.trim(), nsId("time", time.inode));
    assert.is.not(time.inode, nsInode("self", "time", false));
  });

test.run();
