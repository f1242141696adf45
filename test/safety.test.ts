// Never leak, never hang: faults provoked for real, and a soak.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmdirSync } from "node:fs";
import { Driver } from "../interpreter/driver.js";
import { bin, runCode } from "./helpers/cli.js";
import { alive, cgroupOf, descendants, fdCount, inCgroup, zombies }
  from "./helpers/proc.js";
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

test("soak: 1,000 spawns in fresh namespaces leave no fd, zombie or memory behind", async () => {
  const quiet = () => {};
  const driver = new Driver({ interactive: false, args: [], out: quiet, err: quiet });
  const run = async (n: number) => {
    const o = await driver.run(`for i in range(${n}) { clone pid, uts, ipc "true" }`, "soak");
    assert.is(o.status, 0);
  };
  try {
    await run(200);
    const fds = fdCount();
    const rss = process.memoryUsage().rss;
    const start = performance.now();
    await run(400);
    const first = performance.now() - start;
    await run(400);
    const last = performance.now() - start - first;
    assert.is(fdCount(), fds, "descriptors");
    assert.is(zombies(), 0, "zombies");
    const grown = (process.memoryUsage().rss - rss) / 1024 / 1024;
    assert.ok(grown < 5, `rss grew ${grown.toFixed(1)} MB`);
    assert.ok(last < first * 1.5, `slowed down: ${first.toFixed(0)} ms then ${last.toFixed(0)} ms`);
  } finally {
    driver.close();
  }
});

test.run();
