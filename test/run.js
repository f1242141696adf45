// npm test: bundles the suites, runs them with uvu against the real
// kernel, and checks that the host looks the same afterwards as before:
// the mount table, /run/netns, the hostname, the network links and the
// session cgroups nsrepl makes. A test that leaves any of those behind
// fails the run even if it passed.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { hostname } from "node:os";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const filter = process.argv.slice(2);

function hostState() {
  const netns = existsSync("/run/netns") ? readdirSync("/run/netns").sort() : [];
  const links = readdirSync("/sys/class/net").sort();
  // Mount ids change on every mount, so compare what is mounted where.
  const mounts = readFileSync("/proc/self/mountinfo", "utf8").split("\n")
    .map((line) => line.split(" ").slice(3, 5).join(" ")).sort();
  return { hostname: hostname(), netns, links, mounts,
    cgroups: sessionCgroups() };
}

// nsrepl makes its session cgroup below its own cgroup on the cgroup2
// hierarchy, which for the test processes is this one's.
function sessionCgroups() {
  const dir = cgroupParent();
  return dir ? readdirSync(dir).filter((n) => n.startsWith("nsrepl-")).sort() : [];
}

function cgroupParent() {
  const own = /^0::(\/.*)$/m.exec(readFileSync("/proc/self/cgroup", "utf8"));
  const mount = readFileSync("/proc/self/mountinfo", "utf8").split("\n")
    .map((line) => line.split(" "))
    .find((f) => f[f.indexOf("-") + 1] === "cgroup2" && f[3] === "/");
  if (!own || !mount) return null;
  return own[1] === "/" ? mount[4] : mount[4] + own[1];
}

// What keeps a session cgroup alive: each process's pid, name and state.
function describeCgroup(name) {
  const procs = readFileSync(`${cgroupParent()}/${name}/cgroup.procs`, "utf8")
    .split("\n").filter(Boolean);
  return procs.map((pid) => {
    try {
      const status = readFileSync(`/proc/${pid}/status`, "utf8");
      const field = (f) => new RegExp(`^${f}:\\s*(.*)$`, "m").exec(status)?.[1];
      return `${pid} ${field("Name")} ${field("State")} ppid ${field("PPid")}`;
    } catch {
      return `${pid} (gone)`;
    }
  }).join("; ") || "no process";
}

// A killed nsrepl's watchdog removes its cgroup a few ms after nsrepl is
// gone, but waits up to 6 s for a process slow to die (watchdog.ts): allow
// the last ones that long, and a little more.
function settledDifferences(before) {
  let found = differences(before, hostState());
  for (let i = 0; i < 80 && found.length; i++) {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
    found = differences(before, hostState());
  }
  return found;
}

function differences(before, after) {
  const found = [];
  for (const key of Object.keys(before)) {
    const a = JSON.stringify(before[key]);
    const b = JSON.stringify(after[key]);
    if (a !== b) found.push(`${key}: was ${a}, now ${b}`);
  }
  return found;
}

const build = spawnSync(process.execPath, ["scripts/build.js", "--tests"], {
  cwd: root, stdio: "inherit",
});
if (build.status !== 0) process.exit(1);

const before = hostState();
const uvu = spawnSync(process.execPath, [
  "node_modules/uvu/bin.js", "dist/test", filter[0] ?? ".*\\.test\\.js$",
], { cwd: root, stdio: ["ignore", "pipe", "inherit"], encoding: "utf8",
  maxBuffer: 64 * 1024 * 1024,
  // The grammar checks itself in the tests; users skip that at start-up.
  env: { ...process.env, NSREPL_VALIDATE_GRAMMAR: "1" } });
process.stdout.write(uvu.stdout);

const total = Number(/Total:\s+(\d+)/.exec(uvu.stdout)?.[1] ?? 0);
const passed = Number(/Passed:\s+(\d+)/.exec(uvu.stdout)?.[1] ?? 0);
const skipped = Number(/Skipped:\s+(\d+)/.exec(uvu.stdout)?.[1] ?? 0);
let failed = total - passed - skipped;
if (uvu.status !== 0 && failed === 0) failed = 1;

const changed = settledDifferences(before);
for (const line of changed) console.error(`host changed by the tests: ${line}`);
for (const name of sessionCgroups()) {
  try {
    console.error(`  ${name} holds: ${describeCgroup(name)}`);
  } catch { /* removed meanwhile */ }
}
if (changed.length) failed += 1;

console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed === 0 && total > 0 ? 0 : 1);
