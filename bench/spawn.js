// Spawning: nsrepl per operation against the C yardstick (spawn.c, the
// kernel's limit) and against util-linux run from a bash loop, the way
// people script namespaces today. Every case runs its contenders one
// after the other, round by round, so the machine's drift hits all alike.
//
// nsrepl's time per operation is measured from outside, on one run of
// `nsrepl loop.ns`: the script runs WARM operations and prints a line,
// then N more and prints another, and the time between the two lines'
// arrival on its stdout, divided by N, is what nsrepl pays per operation
// inside a script (interpreting the loop, launching, waiting, reaping), as
// the C yardstick's figure is per operation inside its loop. What the
// first operations pay once (start-up, loading koffi, making the
// session's cgroup, building the launch's call chains) is left out of
// both: start-up has a target of its own. (Taking two runs' wall times
// apart instead, their start-ups' jitter of ±20 ms weighed ±0.1 ms on
// each of 200 operations.)
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { median, row } from "./table.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const out = `${root}bench/out`;
// The installed command, as a user runs it (from the start-up snapshot).
const nsrepl = `${root}bin/nsrepl`;
const yardstick = `${out}/spawn`;
const ROUNDS = Number(process.env.BENCH_SPAWN_ROUNDS ?? 5);
const OPS = Number(process.env.BENCH_SPAWN_OPS ?? 200);
const WARM = 20;

/** Compiles spawn.c with the machine's cc into bench/out. */
export function compileYardstick() {
  mkdirSync(out, { recursive: true });
  execFileSync("cc", ["-O2", "-Wall", "-o", yardstick,
    `${root}bench/spawn.c`], { stdio: "inherit" });
}

const KINDS = ["user", "mnt", "pid", "net", "uts", "ipc", "cgroup", "time"];
// unshare(1) forks for pid and time: both apply to children only.
const FORKS = new Set(["pid", "time"]);
const ALL = "user, mnt, pid, net, uts, ipc";
const UNSHARE_ALL = "unshare --user --map-root-user --pid --fork " +
  "--mount-proc --net --uts --ipc true";

/** The cases: an nsrepl statement, the C mode, the util-linux command. */
function cases() {
  const list = [{ name: "spawn /bin/true", ns: `spawn "/bin/true"`,
    c: "plain", shell: null }];
  for (const kind of KINDS) {
    const fork = FORKS.has(kind) ? " --fork" : "";
    list.push({ name: `clone ${kind}`, ns: `clone ${kind} "/bin/true"`,
      c: kind, shell: `unshare --${kind === "mnt" ? "mount" : kind}` +
        `${fork} true` });
  }
  list.push({ name: "clone all 6, map root", c: "all", shell: null,
    ns: `clone ${ALL} map root "/bin/true"` });
  list.push({ name: "clone all 6, map root, mount proc", c: null,
    ns: `clone ${ALL} map root mount proc "/bin/true"`,
    shell: UNSHARE_ALL, shellName: "unshare -Urpf --mount-proc -niu" });
  list.push({ name: "setns into 6 of a process", c: "setns",
    ns: `spawn "/bin/true"`, setup: "setns num(args[0])",
    shell: "nsenter -t $1 -a true", shellName: "nsenter -t PID -a" });
  return list;
}

function script(c) {
  const setup = c.setup ? `${c.setup}\n` : "";
  const path = `${out}/${c.c ?? "proc"}.ns`;
  const loop = (n) => `for i in range(${n}) { ${c.ns} }\n`;
  writeFileSync(path, `${setup}${loop(WARM)}print("warm")\n${loop(OPS)}` +
    `print("done")\n`);
  return path;
}

function wallMs(file, args) {
  const start = process.hrtime.bigint();
  const r = spawnSync(file, args, { stdio: ["ignore", "ignore", "pipe"],
    encoding: "utf8" });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) {
    throw new Error(`${file} ${args.join(" ")}: status ${r.status}\n` +
      r.stderr);
  }
  return ms;
}

// The time between the "warm" and the "done" line, per operation.
function nsreplPerOp(c, pid) {
  return new Promise((resolve, reject) => {
    const proc = spawn(nsrepl, [c.script, `${pid}`], {
      stdio: ["ignore", "pipe", "pipe"] });
    const at = {};
    let err = "";
    proc.stdout.setEncoding("utf8");
    proc.stdout.on("data", (text) => {
      const now = process.hrtime.bigint();
      for (const line of text.split("\n")) if (line) at[line] ??= now;
    });
    proc.stderr.on("data", (d) => { err += d; });
    proc.on("close", (status) => {
      if (status !== 0 || !at.warm || !at.done) {
        reject(new Error(`nsrepl ${c.script}: status ${status}\n${err}`));
      } else resolve(Number(at.done - at.warm) / 1e6 / OPS);
    });
  });
}

function cPerOp(c, pid) {
  const args = [`${OPS}`, c.c, ...(c.c === "setns" ? [`${pid}`] : [])];
  return Number(execFileSync(yardstick, args, { encoding: "utf8" }));
}

function shellPerOp(c, pid) {
  const loop = `for ((i = 0; i < ${OPS}; i++)); do ${c.shell}; done`;
  return wallMs("bash", ["-c", loop, "bash", `${pid}`]) / OPS;
}

/**
 * A process in new user, mnt, pid, net, uts and ipc namespaces for the
 * setns cases to join; it ends when its stdin closes, and dies with us.
 */
async function startTarget() {
  const proc = spawn(yardstick, ["hold"], { stdio: ["pipe", "pipe",
    "inherit"] });
  const pid = await new Promise((resolve, reject) => {
    proc.stdout.once("data", (d) => resolve(Number(d.toString())));
    proc.once("exit", (code) => reject(new Error(`hold exited ${code}`)));
  });
  const done = new Promise((resolve) => proc.once("exit", resolve));
  return { pid, stop: () => { proc.stdin.end(); return done; } };
}

async function measureRound(list, pid, times) {
  for (const [i, c] of list.entries()) {
    if (c.c) times[i].c.push(cPerOp(c, pid));
    times[i].ns.push(await nsreplPerOp(c, pid));
    if (c.shell) times[i].shell.push(shellPerOp(c, pid));
  }
}

function rowsOf(c, t) {
  const ns = median(t.ns);
  const rows = [];
  if (c.c) rows.push(row(`${c.name} vs C, per op`, ns, median(t.c), 1.5));
  if (c.shell) {
    const tool = c.shellName ?? c.shell.replace(/ true$/, "");
    rows.push(row(`${c.name} vs bash loop of ${tool}`, ns,
      median(t.shell), 1 / 1.5));
  }
  return rows;
}

/** Runs the spawn cases; returns their table rows. */
export async function spawning() {
  compileYardstick();
  const list = cases();
  for (const c of list) {
    c.script = script(c);
  }
  const times = list.map(() => ({ c: [], ns: [], shell: [] }));
  const target = await startTarget();
  try {
    for (let r = 0; r < ROUNDS; r++) {
      await measureRound(list, target.pid, times);
    }
  } finally {
    await target.stop();
  }
  return list.flatMap((c, i) => rowsOf(c, times[i]));
}
