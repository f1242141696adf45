// User namespaces and id maps, as root and rootless (uid 65534 through
// setpriv: this bundle runs itself again as a helper).
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { launch } from "../../stdlib/launch.js";
import { closeNs, nsId, openProcessNs } from "../../stdlib/nsfiles.js";
import { SyscallError } from "../../stdlib/errors.js";
import type { IdMaps, LaunchSpec } from "../../stdlib/types.js";
import {
  helperJob, holderSpec, readableByNobody, run, runHelper,
} from "./support.js";

const one = (inside: number, outside: number): IdMaps => ({
  uid: [{ inside, outside, count: 1 }],
  gid: [{ inside, outside, count: 1 }], setgroups: "deny",
});

const ID = ["sh", "-c", "id -u; id -g; cat /proc/self/setgroups"];

// What the rootless helper reports, one labelled line per check.
async function rootless(): Promise<void> {
  const lines: string[] = [];
  const note = (label: string, value: string) =>
    lines.push(`${label}=${JSON.stringify(value)}`);
  const r = await run(["sh", "-c", "id -u; echo $$; ls /proc | " +
    "grep -c '^[0-9]'"], { create: ["user", "pid", "mnt"],
    maps: one(0, 65534), mountProc: true });
  note("main", r.out);
  await joins(note);
  process.stdout.write(lines.join("\n") + "\n");
}

async function joins(note: (label: string, value: string) => void) {
  const h = launch(holderSpec({ create: ["user", "net"],
    maps: one(0, 65534) }));
  const user = openProcessNs(h.pid, "user", false);
  const net = openProcessNs(h.pid, "net", false);
  try {
    const both = await run(["sh", "-c", "id -u; readlink /proc/self/ns/net"],
      { join: { user, net } });
    note("joined", both.out);
    note("netId", nsId("net", net.inode));
    note("netOnly", failure({ join: { net } }));
    note("netNoUser", failure({ create: ["net"] }));
    const nested = await run(["sh", "-c", "id -u; cat /proc/self/uid_map"],
      { join: { user }, create: ["user"], maps: one(7, 0) });
    note("nested", nested.out);
  } finally {
    closeNs(user);
    closeNs(net);
    h.kill("SIGKILL");
    await h.exited;
  }
}

function failure(more: Partial<LaunchSpec>): string {
  try {
    launch(holderSpec({ argv: ["true"], ...more }));
    return "launched";
  } catch (err) {
    return (err as SyscallError).message;
  }
}

const test = suite("maps");

test("root maps 0 to 0: id -u is 0 and setgroups is as asked", async () => {
  const r = await run(ID, { create: ["user"], maps: one(0, 0) });
  assert.is(r.out, "0\n0\ndeny\n");
});

test("a multi-line map is written as given", async () => {
  const maps: IdMaps = {
    uid: [{ inside: 0, outside: 100000, count: 1000 },
      { inside: 1000, outside: 0, count: 1 }],
    gid: [{ inside: 0, outside: 100000, count: 1000 }], setgroups: "allow",
  };
  const r = await run(["sh", "-c", "cat /proc/self/uid_map; id -u"],
    { create: ["user"], maps });
  const rows = r.out.trim().split("\n").map((l) => l.trim().split(/\s+/));
  assert.equal(rows, [["0", "100000", "1000"], ["1000", "0", "1"], ["1000"]]);
});

test("root's own uid unmapped: the program is nobody inside", async () => {
  const r = await run(["id", "-u"], { create: ["user"], maps: one(0, 1000) });
  assert.is(r.out, "65534\n");
});

test("an overlapping map is refused with EINVAL and the rule", () => {
  const maps: IdMaps = { uid: [{ inside: 0, outside: 0, count: 10 },
    { inside: 5, outside: 100, count: 10 }], gid: [], setgroups: "allow" };
  try {
    launch(holderSpec({ argv: ["true"], create: ["user"], maps }));
    assert.unreachable("overlapping map accepted");
  } catch (err) {
    const e = err as SyscallError;
    assert.is(e.code, "EINVAL");
    assert.match(e.object, /^\/proc\/\d+\/uid_map$/);
    assert.match(e.rule!, /may not overlap/);
  }
});

test("a nested user namespace asking for a wide map fails up front", () => {
  const h = openProcessNs(process.pid, "user", false);
  try {
    const maps: IdMaps = { uid: [{ inside: 0, outside: 0, count: 2 }],
      gid: [], setgroups: "deny" };
    assert.throws(() => launch(holderSpec({ argv: ["true"],
      join: { user: h }, create: ["user"], maps })),
    (e: SyscallError) => e.code === "EPERM" && /nested in user:/.test(
      e.object) && /parent user namespace/.test(e.rule!));
  } finally {
    closeNs(h);
  }
});

test("rootless (uid 65534): user,pid,mnt + map 0→65534 + proc", () => {
  assert.ok(readableByNobody(import.meta.url),
    "uid 65534 must be able to read the test bundle under dist/");
  const r = runHelper(import.meta.url, "rootless", true);
  assert.is(r.status, 0, r.stderr);
  const got = Object.fromEntries(r.stdout.trim().split("\n").map((l) => {
    const [k, v] = l.split(/=(.*)/);
    return [k, JSON.parse(v)];
  }));
  const [uid, pid, count] = got.main.trim().split("\n");
  assert.is(uid, "0");
  assert.is(pid, "1");
  assert.ok(Number(count) <= 3, `few processes in /proc, saw ${count}`);
  assert.is(got.joined, `0\n${got.netId}\n`);
  assert.ok(/^setns\(net\) on \/proc\/\d+\/ns\/net: EPERM/.test(got.netOnly), got.netOnly);
  assert.match(got.nested, /^7\n\s+7\s+0\s+1\n$/);
  assert.is(got.netNoUser, "clone(net): EPERM (Operation not permitted)");
});

if (helperJob === "rootless") await rootless();
else test.run();
