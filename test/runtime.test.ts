// The namespace statements end to end, through the command line, against
// the real kernel. Each test asserts what the kernel did: ids in /proc,
// PID 1, uid maps, errnos.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync, readlinkSync } from "node:fs";
import { runCode, runCodeAsNobody } from "./helpers/cli.js";

const hostNs = (kind: string) => readlinkSync(`/proc/self/ns/${kind}`);

function ok(code: string): string {
  const r = runCode(code);
  assert.is(r.status, 0, `status ${r.status}\n${r.stderr}`);
  return r.stdout;
}

test("clone pid, mnt mount proc: the program is PID 1 and sees its own /proc", () => {
  const out = ok(`let r = clone pid, mnt mount proc capture "sh -c 'echo $$; ls /proc | grep -c ^[0-9]'"
print r.stdout`);
  const [pid, count] = out.trim().split("\n");
  assert.is(pid, "1");
  assert.ok(Number(count) <= 3, `only a few processes in /proc, saw ${count}`);
});

test("clone of each kind gives the program a namespace the host does not have", () => {
  for (const kind of ["mnt", "pid", "net", "uts", "ipc", "cgroup", "time", "user"]) {
    const file = kind === "pid" || kind === "time" ? kind : kind;
    const out = ok(`let r = clone ${kind} capture "readlink /proc/self/ns/${file}"
print r.stdout`);
    assert.ok(/^\w+:\[\d+\]$/.test(out.trim()), `${kind}: ${out}`);
    assert.is.not(out.trim(), hostNs(file), `${kind} should be new`);
  }
});

test("unshare changes the session; setns host brings it back", () => {
  const out = ok(`unshare net, uts
let a = spawn capture "readlink /proc/self/ns/net"
setns host
let b = spawn capture "readlink /proc/self/ns/net"
print a.stdout
print b.stdout`);
  const [inside, back] = out.trim().split("\n").filter(Boolean);
  assert.is.not(inside, hostNs("net"));
  assert.is(back, hostNs("net"));
});

test("a scoped unshare lasts for its block only", () => {
  const out = ok(`unshare net { spawn "readlink /proc/self/ns/net" }
spawn "readlink /proc/self/ns/net"`);
  const [inside, after] = out.trim().split("\n");
  assert.is.not(inside, hostNs("net"));
  assert.is(after, hostNs("net"));
});

test("unshare pid: the next process is PID 1; after it exits, the next spawn fails with ENOMEM", () => {
  const r = runCode(`unshare pid
spawn "sh -c 'echo $$'"
spawn "true"`);
  assert.is(r.stdout.trim(), "1");
  assert.is(r.status, 70);
  assert.match(r.stderr, /ENOMEM/);
  assert.match(r.stderr, /init/);
  assert.match(r.stderr, /-e:3:1/);
});

test("unshare pid, then another kind: the pid namespace still takes its init", () => {
  const out = ok(`unshare pid, mnt mount proc
unshare uts, net
let r = spawn capture "sh -c 'echo $$; hostname'"
print r.stdout`);
  assert.is(out.trim().split("\n")[0], "1");
});

test("unshare time with offsets: the next process sees shifted clocks", () => {
  const out = ok(`unshare time offset monotonic 3600 offset boottime 86400
let r = spawn capture "cat /proc/uptime /proc/self/timens_offsets"
print r.stdout`);
  const [uptime, ...offsets] = out.trim().split("\n");
  const host = Number(readFileSync("/proc/uptime", "utf8").split(" ")[0]);
  const inside = Number(uptime.split(" ")[0]);
  // /proc/uptime counts in hundredths: a launch quicker than that reads the
  // same hundredth as the host after it.
  assert.ok(inside - host > 86000 && inside - host <= 86400, `${inside} vs ${host}`);
  const norm = offsets.map((l) => l.trim().split(/\s+/).join(" "));
  assert.ok(norm.includes("monotonic 3600 0"), norm.join("|"));
});

// /proc/uptime's first field is CLOCK_BOOTTIME as the reader sees it.
const uptime = () => Number(readFileSync("/proc/uptime", "utf8").split(" ")[0]);

test("clone time with offsets: written before the program, the first to enter", () => {
  const before = uptime();
  const out = ok(`let r = clone time offset boottime 86400 offset monotonic 3600 capture "cat /proc/uptime /proc/self/timens_offsets"
print r.stdout`);
  const after = uptime();
  const [line, ...offsets] = out.trim().split("\n");
  const inside = Number(line.split(" ")[0]);
  assert.ok(inside >= before + 86400 && inside <= after + 86400,
    `${inside} not a day after ${before}..${after}`);
  const norm = offsets.map((l) => l.trim().split(/\s+/).join(" "));
  assert.equal(norm, ["monotonic 3600 0", "boottime 86400 0"]);
});

test("rootless: clone user, time with a boottime offset", () => {
  const before = uptime();
  const r = runCodeAsNobody(`clone user, time map root offset boottime 86400 "cat /proc/uptime"`);
  assert.is(r.status, 0, r.stderr);
  const inside = Number(r.stdout.split(" ")[0]);
  assert.ok(inside >= before + 86400 && inside <= uptime() + 86400, r.stdout);
});

test("offset on a clone without time is a script error at the option", () => {
  const r = runCode(`clone net offset boottime 5 "true"`);
  assert.is(r.status, 70);
  assert.match(r.stderr, /-e:1:11: error: option 'offset' needs a new time namespace/);
});

test("setns joins a holder's namespaces, every kind", () => {
  const out = ok(`let h = clone net, uts, ipc
setns h
let r = spawn capture "sh -c 'readlink /proc/self/ns/net; readlink /proc/self/ns/uts'"
print r.stdout
print ns(h).net.id
print ns(h).uts.id`);
  const [net, uts, hnet, huts] = out.trim().split("\n").filter(Boolean);
  assert.is(net, hnet);
  assert.is(uts, huts);
  assert.is.not(net, hostNs("net"));
});

test("setns by pid and by ns file path, a subset of kinds", () => {
  const out = ok(`let h = clone net, uts
setns h.pid net
let a = spawn capture "sh -c 'readlink /proc/self/ns/net; readlink /proc/self/ns/uts'"
print a.stdout
setns host
setns "/proc/\${h.pid}/ns/uts"
let b = spawn capture "sh -c 'readlink /proc/self/ns/net; readlink /proc/self/ns/uts'"
print b.stdout
print ns(h).net.id
print ns(h).uts.id`);
  const [aNet, aUts, bNet, bUts, hNet, hUts] = out.trim().split("\n").filter(Boolean);
  assert.is(aNet, hNet);
  assert.is(aUts, hostNs("uts"));
  assert.is(bNet, hostNs("net"));
  assert.is(bUts, hUts);
});

test("map root writes setgroups deny, then uid and gid maps, before the program runs", () => {
  const out = ok(`let r = clone user map root capture "sh -c 'id -u; cat /proc/self/uid_map /proc/self/setgroups'"
print r.stdout`);
  const lines = out.trim().split("\n").map((l) => l.trim().split(/\s+/).join(" "));
  assert.is(lines[0], "0");
  assert.is(lines[1], "0 0 1");
  assert.is(lines[2], "deny");
});

test("a user namespace without a map: the program is nobody", () => {
  const out = ok(`let r = clone user capture "id -u"
print r.stdout`);
  assert.is(out.trim(), "65534");
});

test("rootless: clone user, pid, mnt map root mount proc prints 0 as PID 1", () => {
  const r = runCodeAsNobody(`let r = clone user, pid, mnt map root mount proc capture "sh -c 'id -u; echo $$'"
print r.stdout`);
  assert.is(r.status, 0, r.stderr);
  assert.is(r.stdout.trim().split("\n").slice(0, 2).join(","), "0,1");
});

test("rootless: unshare user map root, then net: the session is root in its own namespaces", () => {
  const r = runCodeAsNobody(`unshare user map root
unshare net
let r = spawn capture "sh -c 'id -u; readlink /proc/self/ns/net'"
print r.stdout`);
  assert.is(r.status, 0, r.stderr);
  const [uid, net] = r.stdout.trim().split("\n");
  assert.is(uid, "0");
  assert.is.not(net, hostNs("net"));
});

test("rootless: creating a net namespace without a user namespace fails with EPERM, explained", () => {
  const r = runCodeAsNobody(`clone net "true"`);
  assert.is(r.status, 70);
  assert.match(r.stderr, /EPERM/);
});

test("a program that does not exist: status 127 and a warning, the script goes on", () => {
  const r = runCode(`let r = spawn "no-such-program-xyz"
print r.status`);
  assert.is(r.status, 0);
  assert.is(r.stdout.trim(), "127");
  assert.match(r.stderr, /no-such-program-xyz/);
});

test("no nsrepl descriptor leaks into a program", () => {
  const out = ok(`let r = spawn capture "ls /proc/self/fd"
print r.stdout`);
  const fds = out.trim().split("\n").map(Number).sort((a, b) => a - b);
  // ls itself holds one directory fd open while it lists.
  assert.ok(fds.every((fd) => fd <= 3), `fds: ${fds.join(" ")}`);
});

test("an option that does not fit is a script error at its location", () => {
  const r = runCode(`clone net mount proc "true"`);
  assert.is(r.status, 70);
  assert.match(r.stderr, /-e:1:11: error: option 'mount proc' needs a new mnt namespace/);
});

test("a new mount namespace is private: a mount inside never reaches the host", () => {
  const r = runCode(`clone mnt "sh -c 'mount -t tmpfs nsrepl-test /mnt && grep -c nsrepl-test /proc/self/mountinfo'"`);
  assert.is(r.status, 0, r.stderr);
  assert.is(r.stdout.trim(), "1");
  assert.is.not(ok(`spawn "cat /proc/self/mountinfo"`).includes("nsrepl-test"), true);
});

test("rootless: setgroups allow is refused before any write", () => {
  const r = runCodeAsNobody(`clone user map root setgroups allow "true"`);
  assert.is(r.status, 70);
  assert.match(r.stderr, /-e:1:21: error: 'setgroups allow' needs root/);
});

test("root: setgroups allow with a full-range map", () => {
  const out = ok(`let r = clone user map 0 0 4294967295 setgroups allow capture "cat /proc/self/setgroups /proc/self/uid_map"
print r.stdout`);
  const [sg, map] = out.trim().split("\n").map((l) => l.trim().split(/\s+/).join(" "));
  assert.is(sg, "allow");
  assert.is(map, "0 0 4294967295");
});

test.run();
