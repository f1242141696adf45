// npm test: bundles the suites, runs them with uvu against the real
// kernel, and checks that the host looks the same afterwards as before:
// the mount table, /run/netns, the hostname and the network links. A test
// that leaves any of those behind fails the run even if it passed.
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
  return { hostname: hostname(), netns, links, mounts };
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

const changed = differences(before, hostState());
for (const line of changed) console.error(`host changed by the tests: ${line}`);
if (changed.length) failed += 1;

console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed === 0 && total > 0 ? 0 : 1);
