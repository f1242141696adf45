// What the launcher reuses from one launch to the next — the arena with
// its built chains, nsrepl's own memory (CLONE_VM) — must never carry
// one launch's state into the next.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import {
  chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync,
  writeFileSync,
} from "node:fs";
import { dirname } from "node:path";
import { launch } from "../../stdlib/launch.js";
import { layout } from "../../stdlib/plan.js";
import { memorySharing } from "../../stdlib/sharing.js";
import type { LaunchSpec } from "../../stdlib/types.js";
import { closeNs, openProcessNs, ownNamespaces } from
  "../../stdlib/nsfiles.js";
import { holderSpec, run, spec } from "./support.js";

const test = suite("reuse");

// The release gate reads the program's path into a buffer that a launch
// of the same shape reuses. Were it not zeroed again, a program that is
// no longer found would run from the path the last launch was sent.
test("a program no longer found is not run from the last launch's path",
  async () => {
    const dir = mkdtempSync("/tmp/nsrepl-reuse-");
    const prog = `${dir}/prog`;
    const marker = `${dir}/ran`;
    writeFileSync(prog, `#!/bin/sh\necho ran >> ${marker}\n`,
      { mode: 0o755 });
    try {
      const env = [`PATH=${dir}`];
      assert.is((await run(["prog"], { env })).status, 0);
      chmodSync(prog, 0o644);
      const again = await run(["prog"], { env });
      assert.is(again.status, 127);
      assert.is(again.child.failure, "prog: command not found");
      assert.is(readFileSync(marker, "utf8"), "ran\n");
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

test("a failed step is reported afresh, not left over, in the same shape",
  async () => {
    const dir = `${mkdtempSync("/tmp/nsrepl-reuse-")}/cwd`;
    try {
      assert.throws(() => launch(spec(["true"], { cwd: dir })),
        (e: Error & { op?: string }) => e.op === "chdir");
      mkdirSync(dir);
      assert.is((await run(["true"], { cwd: dir })).status, 0);
    } finally {
      rmSync(dirname(dir), { recursive: true });
    }
  });

function sharing(more: Partial<LaunchSpec>) {
  return memorySharing(layout(spec(["true"], more)));
}

test("who shares memory: not holders, nor who moves into user or time",
  () => {
    const own = ownNamespaces();
    const no = { first: false, second: false, timeAtExec: false };
    const yes = { first: true, second: true, timeAtExec: false };
    assert.equal(sharing({}), yes);
    assert.equal(sharing({ create: ["user", "pid", "net"] }), yes);
    assert.equal(sharing({ join: { user: own.user } }),
      { ...yes, first: false });
    assert.equal(sharing({ join: { time: own.time } }),
      { ...yes, first: false });
    assert.equal(memorySharing(layout(spec(null, {}))), no);
    // Linux 6.0 and later move the program into it at execve.
    assert.equal(sharing({ create: ["time"] }), { ...yes, timeAtExec: true });
  });

// A holder cannot share nsrepl's memory; it gets a copy of only what its
// chain touches (small-fork.ts), and nsrepl's own memory must be whole
// again afterwards for any later fork (libuv's among them).
test("a holder maps libc and its arena, not Node; nsrepl forks whole again",
  async () => {
    const holder = launch(holderSpec({ create: ["net"] }));
    try {
      const maps = readFileSync(`/proc/${holder.pid}/maps`, "utf8");
      const lines = maps.trim().split("\n");
      assert.ok(lines.some((l) => l.endsWith("/libc.so.6")), maps);
      assert.not.ok(lines.some((l) => l.endsWith(process.execPath)), maps);
      assert.ok(lines.length < 40, `${lines.length} mappings:\n${maps}`);
      const status = readFileSync(`/proc/${holder.pid}/status`, "utf8");
      const rssKb = Number(/^VmRSS:\s+(\d+)/m.exec(status)![1]);
      assert.ok(rssKb < 8192, `the holder's RSS is ${rssKb} kB`);
    } finally {
      holder.kill("SIGKILL");
      await holder.exited;
    }
    assert.equal(dontForkOwn(), [], "still MADV_DONTFORK in nsrepl");
  });

// A process that joins a user namespace cannot share nsrepl's memory: it
// is forked by the zygote, a small process of nsrepl's, and is still
// nsrepl's own child. A zygote that dies is replaced at the next launch.
test("joining a user namespace forks from the zygote, which is replaced",
  async () => {
    const maps = { uid: [{ inside: 0, outside: 0, count: 1 }],
      gid: [{ inside: 0, outside: 0, count: 1 }], setgroups: "deny" as const };
    const holder = launch(holderSpec({ create: ["user"], maps }));
    const user = openProcessNs(holder.pid, "user", false);
    // Each test bundle has its own launcher, and may have a zygote when
    // the suites run in one process: only this one's is looked at.
    const others = new Set(zygotes());
    const zygotesHere = () => zygotes().filter((pid) => !others.has(pid));
    try {
      const first = await run(["sh", "-c", "echo $PPID; readlink " +
        "/proc/self/ns/user"], { join: { user } });
      assert.is(first.out, `${process.pid}\nuser:[${user.inode}]\n`);
      const zygote = zygotesHere();
      assert.is(zygote.length, 1, "one zygote");
      const lines = readFileSync(`/proc/${zygote[0]}/maps`, "utf8").trim()
        .split("\n");
      assert.ok(lines.length < 40, `the zygote has ${lines.length} mappings`);
      process.kill(zygote[0], "SIGKILL");
      const again = await run(["true"], { join: { user } });
      assert.is(again.status, 0);
      const next = zygotesHere();
      assert.is(next.length, 1);
      assert.is.not(next[0], zygote[0]);
    } finally {
      closeNs(user);
      holder.kill("SIGKILL");
      await holder.exited;
    }
  });

// nsrepl's live children named nsrepl-zygote. What the zygote forks has
// its name too until it execs: an earlier suite's failed launch may not
// be reaped yet.
function zygotes(): number[] {
  const found: number[] = [];
  for (const task of readdirSync("/proc/self/task")) {
    const text = readFileSync(`/proc/self/task/${task}/children`, "utf8");
    for (const pid of text.trim().split(" ").filter(Boolean)) {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const state = stat.slice(stat.lastIndexOf(")") + 2)[0];
      if (name === "nsrepl-zygote" && state !== "Z") found.push(Number(pid));
    }
  }
  return found;
}

// nsrepl's stack, brk heap and own binary, were any left DONTFORK.
function dontForkOwn(): string[] {
  const found: string[] = [];
  let name = "";
  for (const line of readFileSync("/proc/self/smaps", "utf8").split("\n")) {
    const head = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (head) name = head[1];
    const own = name === "[stack]" || name === "[heap]" ||
      name === process.execPath;
    if (own && line.startsWith("VmFlags:") && / dc/.test(line)) {
      found.push(name);
    }
  }
  return found;
}

test.run();
