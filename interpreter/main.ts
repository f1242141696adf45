// The bundle's entry point. Node runs it in one of two ways:
//
// - `node --build-snapshot dist/nsrepl.cjs` (at build time): everything is
//   loaded and the parser built and exercised once, then V8 saves the heap
//   to dist/nsrepl.blob with `run` as the function to call on start;
// - `node dist/nsrepl.cjs ARGS` (no snapshot): it runs at once.
//
// Start-up is most of the time of a short script, and most of start-up was
// chevrotain building its parser; from the snapshot that work is already
// done (bench/startup.js measures the difference).

import { resolve } from "node:path";
import { startupSnapshot } from "node:v8";
import { parse } from "../grammar/index.js";
import { startedFromSnapshot } from "../stdlib/self.js";
import { start } from "./cli.js";

// One of each form, so that the parser's lookahead functions and the code
// behind them are ready in the snapshot.
const WARM_UP = `
let a = [1, "two \${3}", true, null, -4 * (5 + 6) % 7]
fn f(x, y) { return x.pid == y or not x and y != 1 }
if a[0] >= 1 { a = a } else { while false { } }
for p in a { try { expect p, "p" } catch e { print e.message } }
spawn "true" &
clone user, pid, mnt map root mount proc ["id", "-u"]
unshare net { setns host pid, net { } }
compare ns(1), ns(self)
`;

function run(): void {
  const execArgv = process.execArgv;
  const blob = execArgv[execArgv.indexOf("--snapshot-blob") + 1];
  startedFromSnapshot(resolve(blob));
  // Node puts the script's arguments right after its own path here.
  start(process.argv.slice(1));
}

if (startupSnapshot.isBuildingSnapshot()) {
  parse(WARM_UP, "<warm-up>");
  startupSnapshot.setDeserializeMainFunction(run);
} else {
  start(process.argv.slice(2));
}
