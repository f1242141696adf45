// namespaces(), tree() and the JSON forms, through the command line and
// against the real kernel. Each test makes the namespaces it looks for —
// held by a process, a bind mount, an open fd, a /run/netns name — and
// takes them down again in `finally`, whatever the assertions said.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawn, spawnSync } from "node:child_process";
import {
  closeSync, mkdtempSync, openSync, readFileSync, readlinkSync, rmSync,
  statSync, writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { runCode, runCodeAsNobody } from "./helpers/cli.js";
import type { CliResult } from "./helpers/cli.js";

interface Row {
  kind: string; id: string; inode: number; procs: number;
  pid: number | null; command: string | null; owner: string | null;
  names: string[]; holders: Record<string, unknown>[];
  uid_map?: { inside: number; outside: number; count: number }[];
  owner_uid?: number;
}
interface Node extends Row { children: Node[]; owns?: string[] }

function ok(r: CliResult): string {
  assert.is(r.status, 0, `status ${r.status}\n${r.stderr}`);
  return r.stdout;
}

/** The rows namespaces() gives, as JSON, after `setup` ran in nsrepl. */
function rows(setup = "", kind = ""): Row[] {
  const arg = kind ? `"${kind}"` : "";
  const out = ok(runCode(`${setup}\nprint namespaces(${arg}).json`));
  return JSON.parse(out.trim().split("\n").at(-1)!) as Row[];
}

function sh(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { encoding: "utf8" });
  assert.is(r.status, 0, `${cmd} ${args.join(" ")}: ${r.stderr}`);
}

// For `finally`: undo quietly, the test has already failed if it matters.
function quietly(cmd: string, args: string[]): void {
  spawnSync(cmd, args, { stdio: "ignore" });
}

function killPid(pid: number | undefined): void {
  if (pid === undefined) return;
  try { process.kill(pid, "SIGKILL"); } catch { /* already gone */ }
}

const hostInode = (kind: string) => statSync(`/proc/self/ns/${kind}`).ino;

/** Starts util-linux unshare with `flags` around `sleep`; resolves once the
 * new namespaces exist (unshare execs sleep in the same process). */
async function unshared(flags: string[], kind: string) {
  const child = spawn("unshare", [...flags, "sleep", "30"],
    { stdio: "ignore" });
  const pid = child.pid!;
  const until = Date.now() + 5000;
  while (Date.now() < until) {
    try {
      if (statSync(`/proc/${pid}/ns/${kind}`).ino !== hostInode(kind) &&
        readlinkSync(`/proc/${pid}/exe`).endsWith("sleep")) return child;
    } catch { /* not there yet */ }
    await new Promise((r) => setTimeout(r, 10));
  }
  killPid(pid);
  throw new Error(`unshare ${flags.join(" ")} did not start`);
}

async function ended(child: ReturnType<typeof spawn>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise((r) => child.once("exit", r));
}

test("a holder appears with its pid and command, among the host's", () => {
  const out = ok(runCode(`let h = clone net, uts
print h.pid
print h.ns.net.id
print namespaces()
print namespaces("net").json`));
  const [pid, id] = out.split("\n");
  const table = out.split("\n").slice(2, -2).join("\n");
  const line = table.split("\n").find((l) => l.startsWith(id + " "));
  assert.ok(line, `no row for ${id} in\n${table}`);
  assert.match(line!, new RegExp(`\\s1\\s+${pid}\\s.*nsrepl holder$`));
  assert.match(table, /^id\s+procs\s+pid\s+owner\s+held by$/m);
  assert.ok(table.includes(`net:[${hostInode("net")}]`), table);

  const net = JSON.parse(out.trim().split("\n").at(-1)!) as Row[];
  const row = net.find((r) => r.id === id)!;
  assert.equal([row.procs, row.pid, row.command], [1, Number(pid), "nsrepl holder"]);
  assert.is(row.owner, `user:[${hostInode("user")}]`);
  assert.ok(net.every((r) => r.kind === "net"));
});

test("a namespace kept only by a bind mount is held by that path", () => {
  const dir = mkdtempSync("/tmp/nsrepl-inspect-");
  const file = join(dir, "net");
  try {
    writeFileSync(file, "");
    sh("unshare", [`--net=${file}`, "true"]);
    const inode = statSync(file).ino;
    const row = rows("", "net").find((r) => r.inode === inode);
    assert.ok(row, `net:[${inode}] not listed`);
    assert.is(row!.procs, 0);
    assert.equal(row!.holders.map((h) => [h.type, h.path]),
      [["mount", file]]);
    const table = ok(runCode(`print namespaces("net")`));
    assert.match(table, new RegExp(`^net:\\[${inode}\\]\\s+0\\s+-\\s+\\d+\\s+mount ${file}$`, "m"));
  } finally {
    quietly("umount", [file]);
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a namespace kept only by an open fd is held by pid:fd", async () => {
  let fd = -1;
  const child = await unshared(["--uts"], "uts");
  try {
    fd = openSync(`/proc/${child.pid}/ns/uts`, "r");
    const inode = statSync(`/proc/${child.pid}/ns/uts`).ino;
    killPid(child.pid);
    await ended(child);
    const row = rows("", "uts").find((r) => r.inode === inode);
    assert.ok(row, `uts:[${inode}] not listed`);
    assert.is(row!.procs, 0);
    const mine = row!.holders.filter((h) => h.pid === process.pid);
    assert.equal(mine.map((h) => [h.type, h.fd]), [["fd", fd]]);
    const table = ok(runCode(`print namespaces("uts")`));
    assert.ok(table.includes(`fd ${process.pid}:${fd} (`), table);
  } finally {
    killPid(child.pid);
    if (fd >= 0) closeSync(fd);
  }
});

// `ip netns add` makes /run/netns a mount point of its own the first
// time, and `ip netns del` leaves that behind.
function isMountPoint(path: string): boolean {
  return readFileSync("/proc/self/mountinfo", "utf8").split("\n")
    .some((line) => line.split(" ")[4] === path);
}

test("ip netns add: the name shows, and the mount under /run/netns", () => {
  const name = `nsrepl-test-${process.pid}`;
  const wasMounted = isMountPoint("/run/netns");
  try {
    sh("ip", ["netns", "add", name]);
    const inode = statSync(`/run/netns/${name}`).ino;
    const row = rows("", "net").find((r) => r.inode === inode);
    assert.ok(row, `net:[${inode}] not listed`);
    assert.equal(row!.names, [name]);
    assert.ok(row!.holders.some((h) => h.path === `/run/netns/${name}`));
    const out = ok(runCode(`for r in namespaces("net").rows {
  if r.names == ["${name}"] { print r.id }
}`));
    assert.is(out.trim(), `net:[${inode}]`);
  } finally {
    quietly("ip", ["netns", "del", name]);
    if (!wasMounted && isMountPoint("/run/netns")) {
      quietly("umount", ["/run/netns"]);
    }
  }
});

test("a user namespace kept only by what it owns is listed as its owner", async () => {
  const dir = mkdtempSync("/tmp/nsrepl-inspect-");
  const file = join(dir, "net");
  let child: ReturnType<typeof spawn> | undefined;
  try {
    child = await unshared(["--user", "--map-root-user", "--net"], "net");
    writeFileSync(file, "");
    sh("mount", ["--bind", `/proc/${child.pid}/ns/net`, file]);
    const user = statSync(`/proc/${child.pid}/ns/user`).ino;
    killPid(child.pid);
    await ended(child);
    const row = rows("", "user").find((r) => r.inode === user);
    assert.ok(row, `user:[${user}] not listed`);
    assert.equal(row!.holders, [{ type: "owner", of: `net:[${statSync(file).ino}]` }]);
    assert.is(row!.owner_uid, 0);
    assert.is(row!.uid_map, null, "no process is left to show the map");
  } finally {
    killPid(child?.pid);
    quietly("umount", [file]);
    rmSync(dir, { recursive: true, force: true });
  }
});

function treeOf(out: string): { user: Node[]; pid: Node[] } {
  return JSON.parse(out.trim().split("\n").at(-1)!);
}

test("tree: a new user namespace is a child of the initial one, map 0 0 1", () => {
  const out = ok(runCode(`let p = clone user map root "sleep 5" &
print ns(p).user.id
print tree()
print tree().json`));
  const id = out.split("\n")[0];
  const [root] = treeOf(out).user.filter((n) => n.inode === hostInode("user"));
  assert.ok(root, "the initial user namespace is a root");
  const child = root.children.find((n) => n.id === id);
  assert.ok(child, `${id} is not a child of ${root.id}`);
  assert.equal(child!.uid_map, [{ inside: 0, outside: 0, count: 1 }]);
  assert.is(child!.owner_uid, 0);
  assert.ok(root.owns!.includes(`net:[${hostInode("net")}]`));

  const text = out.split("\n");
  const at = text.findIndex((l) => l.startsWith(`  ${id}  1 process`));
  assert.ok(at > 0, out);
  assert.match(text[at + 1], /^ {4}uid_map 0 0 1 {2}gid_map 0 0 1$/);
  assert.ok(text.some((l) => l.startsWith(`user:[${hostInode("user")}]`)));
});

test("tree: a new pid namespace nests under nsrepl's", () => {
  // ns(p).pid is p's pid: the pid namespace is in the JSON form.
  const out = ok(runCode(`let p = clone pid "sleep 5" &
print ns(p).json
print tree().json`));
  const id = JSON.parse(out.split("\n")[0]).namespaces.pid.id;
  const pid = treeOf(out).pid;
  const parent = pid.find((n) => n.inode === hostInode("pid"));
  assert.ok(parent, "nsrepl's pid namespace is a root");
  assert.ok(parent!.children.some((n) => n.id === id), out);
});

test("as nobody: only its own processes, its user namespace under the initial one", () => {
  const r = runCodeAsNobody(`let p = clone user, pid map root "sleep 5" &
print ns(p).user.id
print namespaces().hidden > 0
print tree().json`);
  const out = ok(r);
  const [id, hidden] = out.split("\n");
  assert.is(hidden, "true", "root's processes are hidden from nobody");
  const root = treeOf(out).user.find((n) => n.inode === hostInode("user"))!;
  const child = root.children.find((n) => n.id === id)!;
  assert.ok(child, out);
  assert.equal(child.uid_map, [{ inside: 0, outside: 65534, count: 1 }]);
  assert.is(child.owner_uid, 65534);
  assert.is(child.owns!.length, 1, "its pid namespace");
});

test("ns(x).json, compare(a, b).json and json() parse and carry the ids", () => {
  const out = ok(runCode(`let h = clone net
print h.ns.net.id
print ns(h).json
print compare(h, "session").json
print json([1, "two", null, ns(h).net])`));
  const [id, set, cmp, list] = out.trim().split("\n");
  const s = JSON.parse(set);
  assert.is(s.namespaces.net.id, id);
  assert.is(s.namespaces.user.inode, hostInode("user"));
  const c = JSON.parse(cmp);
  assert.is(c.left.namespaces.net.id, id);
  assert.is(c.right.label, "session");
  assert.is(c.kinds.net, "isolated");
  assert.is(c.kinds.uts, "shared");
  assert.equal(JSON.parse(list).slice(0, 3), [1, "two", null]);
  assert.is(JSON.parse(list)[3].id, id);
});

test("an unknown kind is a script error that names it", () => {
  const r = runCode(`namespaces("netz")`);
  assert.is(r.status, 70);
  assert.match(r.stderr, /unknown namespace kind 'netz': expected one of user, mnt/);
});

test.run();
