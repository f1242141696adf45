// Start-up: `nsrepl -e 'let x = 1'` against `node -e 0`, interleaved
// round by round so that the machine's drift hits both alike.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { median, row } from "./table.js";

// The installed command: a shell script that starts Node from the snapshot.
const bin = fileURLToPath(new URL("../bin/nsrepl", import.meta.url));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 30);

function timeRun(command, args) {
  const start = process.hrtime.bigint();
  const r = spawnSync(command, args, { stdio: "ignore" });
  if (r.status !== 0) throw new Error(`${args.join(" ")} exited ${r.status}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Runs the start-up case; returns its table row. */
export function startup() {
  const node = [];
  const nsrepl = [];
  for (let i = 0; i < ROUNDS; i++) {
    node.push(timeRun(process.execPath, ["-e", "0"]));
    nsrepl.push(timeRun(bin, ["-e", "let x = 1"]));
  }
  return row("start-up: nsrepl -e 'let x = 1' vs node -e 0",
    median(nsrepl), median(node), 1.3);
}
