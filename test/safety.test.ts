// Never leak, never hang: faults provoked for real, and a soak.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawn, spawnSync } from "node:child_process";
import {
  existsSync, mkdtempSync, readFileSync, rmdirSync, rmSync, writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { bin, runCli, runCode } from "./helpers/cli.js";
import { alive, cgroupOf, descendants, inCgroup } from "./helpers/proc.js";
import { cgroup2Mount } from "../stdlib/session-cgroup.js";

async function until(check: () => boolean, ms = 5000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return check();
}

test("nsrepl killed with SIGKILL mid-script leaves no holder and no background child", async () => {
  const script = `let h = clone net, uts
let b = spawn "sleep 100" &
let c = clone pid, mnt mount proc "sleep 100" &
print h.pid, b.pid, c.pid
sleep 100`;
  const p = spawn(bin, ["-e", script], { stdio: ["ignore", "pipe", "inherit"] });
  try {
    const line = await new Promise<string>((resolve) =>
      p.stdout.once("data", (d) => resolve(String(d))));
    const pids = line.trim().split(" ").map(Number);
    assert.ok(pids.every(alive), "all three run while nsrepl does");
    p.kill("SIGKILL");
    assert.ok(await until(() => pids.every((pid) => !alive(pid))), `left: ${pids.filter(alive)}`);
  } finally {
    p.kill("SIGKILL");
  }
});

const comm = (pid: number) => {
  try { return readFileSync(`/proc/${pid}/comm`, "utf8").trim(); } catch { return ""; }
};

// A background shell's children, a daemon that left its parent (now a
// child of init) and the children of a program in a pid namespace: none
// of them is a child of nsrepl, so PDEATHSIG does not reach them.
test("nsrepl killed with SIGKILL: its programs' children and daemons die too, nothing else", async () => {
  const script = `let b = spawn "sh -c 'sleep 1001 & sleep 1001 & wait'" &
spawn "sh -c 'setsid sleep 1002 < /dev/null > /dev/null 2>&1 &'"
let h = clone net
let c = clone pid, mnt mount proc "sh -c 'sleep 1003 & wait'" &
print b.pid
sleep 100`;
  const bystander = spawn("sleep", ["1000"], { stdio: "ignore" });
  const p = spawn(bin, ["-e", script], { stdio: ["ignore", "pipe", "inherit"] });
  let started: number[] = [];
  let dir = "";
  try {
    const line = await new Promise<string>((resolve) =>
      p.stdout.once("data", (d) => resolve(String(d))));
    const cgroup = cgroupOf(Number(line.trim()))!;
    assert.match(cgroup, /\/nsrepl-\d+-\w+$/, "the program is in the session cgroup");
    dir = cgroup2Mount()! + cgroup;
    const collect = () => [...new Set([...descendants(p.pid!), ...inCgroup(cgroup)])];
    await until(() => collect().filter((pid) => comm(pid) === "sleep").length === 4);
    started = collect();
    const orphans = started.filter((pid) => !descendants(p.pid!).includes(pid));
    assert.is(orphans.length, 1, "the daemon is no descendant of nsrepl");
    assert.is(started.filter((pid) => comm(pid) === "sleep").length, 4, `${started.map(comm)}`);
    p.kill("SIGKILL");
    const t0 = Date.now();
    assert.ok(await until(() => started.every((pid) => !alive(pid))),
      `left: ${started.filter(alive).map((pid) => `${pid} ${comm(pid)}`)}`);
    assert.ok(await until(() => !existsSync(dir)), `${dir} left behind`);
    assert.ok(Date.now() - t0 < 2000, `took ${Date.now() - t0} ms`);
    assert.ok(alive(bystander.pid!), "a process nsrepl did not start lives on");
  } finally {
    p.kill("SIGKILL");
    bystander.kill("SIGKILL");
    for (const pid of started.filter(alive)) process.kill(pid, "SIGKILL");
    if (dir && existsSync(dir)) {
      await until(() => { try { rmdirSync(dir); return true; } catch { return false; } });
    }
  }
});

// The watchdog is an ordinary process: something may kill it. The next
// spawn then starts another, and the session is guarded again.
test("a watchdog killed from outside is replaced at the next spawn, which guards what ran before", async () => {
  const marker = `/tmp/nsrepl-watchdog-${process.pid}`;
  const script = `let b = spawn "sh -c 'sleep 1005 & wait'" &
print b.pid
while not exists("${marker}") { sleep 0.02 }
spawn "true"
print "again"
sleep 100`;
  const p = spawn(bin, ["-e", script], { stdio: ["ignore", "pipe", "inherit"] });
  const lines: string[] = [];
  p.stdout.on("data", (d) => lines.push(...String(d).trim().split("\n")));
  let started: number[] = [];
  try {
    await until(() => lines.length === 1);
    const cgroup = cgroupOf(Number(lines[0]))!;
    const dogs = () => descendants(p.pid!).filter((pid) => comm(pid) === "nsrepl-watchdog");
    await until(() => inCgroup(cgroup).length === 2);
    const [first] = dogs();
    assert.ok(first > 0, "a watchdog runs");
    process.kill(first, "SIGKILL");
    writeFileSync(marker, "");
    assert.ok(await until(() => lines.length === 2), "the script went on");
    const second = dogs();
    assert.is(second.length, 1);
    assert.is.not(second[0], first);
    started = inCgroup(cgroup);
    assert.is(started.length, 2, "sh and its sleep");
    p.kill("SIGKILL");
    assert.ok(await until(() => started.every((pid) => !alive(pid)) && !alive(second[0])),
      `left: ${started.filter(alive)}`);
    assert.ok(await until(() => !existsSync(cgroup2Mount()! + cgroup)), "cgroup removed");
  } finally {
    p.kill("SIGKILL");
    rmSync(marker, { force: true });
    for (const pid of started.filter(alive)) process.kill(pid, "SIGKILL");
  }
});

test("a script that ends leaves no child of its programs behind", async () => {
  const r = runCode(`let p = spawn capture "sh -c 'sleep 1004 > /dev/null & echo $!'"
print p.stdout`);
  assert.is(r.status, 0, r.stderr);
  const pid = Number(r.stdout.trim());
  assert.ok(pid > 0, r.stdout);
  const ended = await until(() => !alive(pid), 2000);
  if (!ended) process.kill(pid, "SIGKILL");
  assert.ok(ended, `pid ${pid} outlived nsrepl`);
});

test("a program that ignores SIGTERM still ends with the session", async () => {
  // exec: the program itself ignores SIGTERM (an ignored signal survives
  // execve), rather than a shell waiting on it.
  const r = runCode(`let p = spawn "sh -c 'trap \\"\\" TERM; exec sleep 100'" &
print p.pid`);
  assert.is(r.status, 0, r.stderr);
  const pid = Number(r.stdout.trim());
  assert.ok(await until(() => !alive(pid)), `pid ${pid} outlived nsrepl`);
});

test("a holder killed behind nsrepl's back: setns says the process has exited", () => {
  const r = runCode(`let h = clone net
spawn "kill -9 \${h.pid}"
sleep 0.2
setns h`);
  assert.is(r.status, 70);
  assert.match(r.stderr, /-e:4:7: error: process \d+ has exited/);
});

// The pid is made to come back for certain: nsrepl runs as PID 1 of a pid
// namespace of its own (util-linux unshare), where nothing else forks
// and ns_last_pid can be set without touching the host's.
test("setns to a process that exited, its pid reused: the join fails, never reaches the new process", () => {
  const script = `let before = spawn capture "readlink /proc/self/ns/net"
let p = clone net "sleep 100" &
let pid = p.pid
spawn "kill -9 \${pid}"
sleep 0.2
spawn "sh -c 'echo \${pid - 1} > /proc/sys/kernel/ns_last_pid'"
let q = clone net "sleep 100" &
print q.pid == pid
try { setns p } catch e { print e.code }
let after = spawn capture "readlink /proc/self/ns/net"
let theirs = spawn capture "readlink /proc/\${q.pid}/ns/net"
print after.stdout == before.stdout, after.stdout != theirs.stdout
setns p`;
  const r = spawnSync("unshare", ["--pid", "--fork", "--mount-proc",
    bin, "-e", script], { encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" } });
  assert.is(r.stdout, "true\nESRCH\ntrue true\n", r.stderr);
  assert.is(r.status, 70);
  assert.match(r.stderr, /-e:13:7: error: process \d+ has exited/);
});

test("the pid namespace's init exits: the next spawn fails with ENOMEM, explained, and the session goes on", () => {
  const r = runCode(`unshare pid
spawn "true"
try { spawn "true" } catch e { print e.code }
setns host
spawn "echo still here"
unshare pid
spawn "true"
spawn "true"`);
  assert.is(r.stdout, "ENOMEM\nstill here\n", r.stderr);
  assert.is(r.status, 70);
  assert.match(r.stderr, /-e:8:1: error: fork into pid namespace pid:\[\d+\]: ENOMEM/);
  assert.match(r.stderr, /init \(PID 1\) has exited/);
});

// Huge inputs through the whole of nsrepl, from a file: each ends in a
// diagnostic with a place, or runs, and never in a crash of nsrepl.
test("huge inputs end in an error with a place, not a crash: 10,000 nested blocks, a 10 MB string, runaway recursion", () => {
  const dir = mkdtempSync("/tmp/nsrepl-huge-");
  const file = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  try {
    const nested = runCli([file("nested.ns", "if true {".repeat(10_000) + "}".repeat(10_000))]);
    assert.is(nested.status, 65, nested.stderr);
    assert.match(nested.stderr, /nested\.ns:1:\d+: error: nesting deeper than 64 levels/);
    const big = runCli([file("big.ns", `let s = "${"a".repeat(10 * 1024 * 1024)}"
print len(s)
let r = spawn "echo \${s}"
print r.status`)]);
    assert.is(big.status, 0, big.stderr.slice(0, 500));
    assert.is(big.stdout, "10485760\n126\n");
    assert.match(big.stderr, /big\.ns:3:9: warning: \/usr\/bin\/echo: Argument list too long/);
    const deep = runCli([file("deep.ns", "fn f(n) { return f(n + 1) }\nf(0)\n")]);
    assert.is(deep.status, 70);
    assert.match(deep.stderr, /deep\.ns:1:\d+: error: calls nested deeper than \d+/);
    for (const r of [nested, big, deep]) assert.not.match(r.stderr, /internal error|RangeError|    at /);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// RLIMIT_NPROC counts threads, and Node cannot even start below its own
// thread count, so the limit is set to exactly what an idle nsrepl uses:
// nsrepl runs, and its next clone is one task too many.
function asNobody(code: string, nproc?: number) {
  const limit = nproc ? ["prlimit", `--nproc=${nproc}`] : [];
  return spawnSync("setpriv", ["--reuid=65534", "--regid=65534",
    "--clear-groups", ...limit, bin, "-e", code],
  { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
}

test("fork refused with EAGAIN under a low RLIMIT_NPROC: an error, and the session goes on", () => {
  const threads = asNobody(`for l in lines(read("/proc/self/status")) {
  if l matches "^Threads:" { print split(l)[1] }
}`);
  const nproc = Number(threads.stdout.trim());
  assert.ok(nproc > 0, threads.stderr);
  const r = asNobody(`try { clone user "true" } catch e { print e.code }
print "still here"`, nproc);
  assert.is(r.stdout, "EAGAIN\nstill here\n", r.stderr);
});

test.run();
