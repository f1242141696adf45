// What a launch costs next to Node's own spawnSync, in the same run:
// /bin/true started and waited for, median of N (NSREPL_COST_N, 100).
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { launch } from "../../stdlib/launch.js";
import { spec } from "./support.js";

const N = Number(process.env.NSREPL_COST_N ?? 100);
const inherit = { type: "inherit" } as const;

function median(samples: number[]): number {
  return [...samples].sort((a, b) => a - b)[samples.length >> 1];
}

const test = suite("cost");

test("a plain launch of /bin/true costs about what spawnSync does",
  async () => {
    const ours: number[] = [];
    const node: number[] = [];
    const trueSpec = spec(["/bin/true"], { stdio: [inherit, inherit,
      inherit] });
    for (let i = 0; i < N; i++) {
      let t = performance.now();
      await launch(trueSpec).exited;
      ours.push(performance.now() - t);
      t = performance.now();
      spawnSync("/bin/true");
      node.push(performance.now() - t);
    }
    const [a, b] = [median(ours), median(node)];
    console.log(`    launch ${a.toFixed(2)} ms, spawnSync ${b.toFixed(2)} ms` +
      ` (median of ${N})`);
    assert.ok(a < 3 * b, `launch ${a} ms vs spawnSync ${b} ms`);
  });

test.run();
