// The full soak: 10,000 spawns in fresh namespaces in one session
// (SOAK_COUNT to change), through the same suite as the CI-sized one in
// npm test; prints its figures and whether each bound held.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const count = process.env.SOAK_COUNT ?? "10000";
spawnSync(process.execPath, ["scripts/build.js", "--tests"], { cwd: root, stdio: "inherit" });
const r = spawnSync(process.execPath, ["dist/test/soak.test.js"], {
  cwd: root, stdio: "inherit",
  env: { ...process.env, SOAK_COUNT: count, SOAK_REPORT: "1" },
});
console.log(`soak: ${count} spawns, ${r.status === 0 ? "every bound held" : "A BOUND FAILED"}`);
process.exit(r.status ?? 1);
