// The README's first session is what nsrepl prints: its compare table,
// digits aside, is the one a real run gives.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { root, runCode } from "./helpers/cli.js";

const digitless = (lines: string[]) =>
  lines.map((l) => l.replace(/\d+/g, "N").trimEnd());

test("the README's compare table is the one nsrepl prints", () => {
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const block = /nsrepl> compare host, p\n([^`]*)```/.exec(readme);
  assert.ok(block, "the README shows compare host, p");
  const shown = block![1].trimEnd().split("\n");

  const r = runCode('let p = clone pid, mnt "sleep 60" &\n' +
    "compare host, p\np.kill()");
  assert.is(r.status, 0, r.stderr);
  assert.equal(digitless(shown), digitless(r.stdout.trimEnd().split("\n")));
});

test.run();
