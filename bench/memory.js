// Memory: an idle REPL's resident set against `node -e 0`'s, and whether
// nsrepl's resident set stays flat over many spawns in one script.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { setTimeout as delay } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { median, row } from "./table.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const out = `${root}bench/out`;
const nsrepl = `${root}bin/nsrepl`;
const yardstick = `${out}/spawn`;
const ROUNDS = Number(process.env.BENCH_MEMORY_ROUNDS ?? 5);
// 10,000 spawns take 10 to 30 s; BENCH_MEMORY_SPAWNS=0 leaves them out.
const SPAWNS = Number(process.env.BENCH_MEMORY_SPAWNS ?? 10_000);
// One run's growth varies by megabytes (when V8 compiles, when it
// collects): the row is the median of several, with their range.
const SPAWN_RUNS = Number(process.env.BENCH_MEMORY_SPAWN_RUNS ?? 3);

const kB = (status, field) =>
  Number(status.match(new RegExp(`^${field}:\\s*(\\d+)`, "m"))?.[1]);

function childOf(pid) {
  const text = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8");
  return Number(text.trim().split(" ")[0]);
}

// The REPL wants a terminal: `script` gives it a pty, and its stdin, a
// pipe we hold, keeps it open. Once the prompt is up and a second has
// passed with nothing to do, its VmRSS is read; Ctrl-D then ends it.
async function idleReplKb() {
  const proc = spawn("script", ["-qfec", `exec ${nsrepl}`, "/dev/null"],
    { stdio: ["pipe", "pipe", "ignore"],
    env: { ...process.env, NSREPL_HISTORY: "", NO_COLOR: "1" } });
  const exited = new Promise((resolve) => proc.once("exit", resolve));
  try {
    await new Promise((resolve) => proc.stdout.on("data", (d) => {
      if (d.toString().includes("nsrepl>")) resolve();
    }));
    await delay(1000);
    const repl = childOf(proc.pid);
    return kB(readFileSync(`/proc/${repl}/status`, "utf8"), "VmRSS");
  } finally {
    proc.stdin.end("\x04");
    const timer = setTimeout(() => proc.kill("SIGKILL"), 5000);
    await exited;
    clearTimeout(timer);
  }
}

// `node -e 0` is gone before /proc could be read: its peak resident set
// comes from wait4, through the yardstick.
function nodeKb() {
  return Number(execFileSync(yardstick, ["maxrss", process.execPath, "-e",
    "0"], { encoding: "utf8" }));
}

async function idleRows() {
  const repl = [];
  const node = [];
  for (let i = 0; i < ROUNDS; i++) {
    node.push(nodeKb());
    repl.push(await idleReplKb());
  }
  const mb = (xs) => median(xs) / 1024;
  const r = row("memory: idle REPL RSS vs node -e 0 peak RSS (MB)",
    mb(repl), mb(node), 1.3);
  return [r];
}

const RSS_SCRIPT = `
fn rss() {
  for l in lines(read("/proc/self/status")) {
    let f = split(l, ":")
    if f[0] == "VmRSS" { return num(split(trim(f[1]), " ")[0]) }
  }
}
let n = num(args[0])
for i in range(n / 10) { spawn "/bin/true" }
print rss()
for i in range(n - n / 10) { spawn "/bin/true" }
print rss()
`;

// One run: RSS after the first tenth of the spawns and after all, kB.
function spawnRun(file) {
  const r = spawnSync(nsrepl, [file, `${SPAWNS}`], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`rss.ns: ${r.stderr}`);
  return r.stdout.trim().split("\n").map(Number);
}

// RSS after all the spawns against RSS after the first tenth of them.
function spawnRow() {
  const file = `${out}/rss.ns`;
  writeFileSync(file, RSS_SCRIPT);
  const runs = Array.from({ length: SPAWN_RUNS }, () => spawnRun(file));
  const grown = runs.map(([first, last]) => (last - first) / 1024);
  const g = median(grown);
  const range = `${Math.min(...grown).toFixed(2)}–` +
    `${Math.max(...grown).toFixed(2)}`;
  return { name: `memory: RSS growth from ${SPAWNS / 10} to ${SPAWNS} ` +
    `spawns (MB, median of ${SPAWN_RUNS})`,
  ours: median(runs.map((r) => r[1])) / 1024,
  reference: median(runs.map((r) => r[0])) / 1024,
  value: g, shown: `${g.toFixed(2)} MB (${range})`, target: "<= 5 MB",
  met: g <= 5 };
}

/** Runs the memory cases; returns their table rows. */
export async function memory() {
  const rows = await idleRows();
  if (SPAWNS > 0) rows.push(spawnRow());
  return rows;
}
