// The long grammar fuzz: 100,000 mutated scripts (FUZZ_COUNT to change),
// through the same check as the CI-sized test. Prints how many it ran.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const count = process.env.FUZZ_COUNT ?? "100000";
spawnSync(process.execPath, ["scripts/build.js", "--tests"], { cwd: root, stdio: "inherit" });
const r = spawnSync(process.execPath, ["dist/test/fuzz.test.js"], {
  cwd: root, stdio: "inherit",
  env: { ...process.env, FUZZ_COUNT: count, FUZZ_SEED: String(Date.now() % 1e9) },
});
console.log(`fuzz: ran ${count} inputs, ${r.status === 0 ? "no problem found" : "PROBLEM FOUND"}`);
process.exit(r.status ?? 1);
