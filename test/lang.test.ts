// Language tests: each test/lang/*.ns script runs through the real CLI.
// Its expected standard output sits in trailing `# expect: TEXT` comments,
// in order; an expected diagnostic in `# error: TEXT` (a substring of
// stderr), and `# status: N` gives the exit status (default 0).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { runCli, root } from "./helpers/cli.js";

const dir = join(root, "test/lang");

interface Expected { stdout: string[]; errors: string[]; status: number }

function expectations(source: string): Expected {
  const stdout = [...source.matchAll(/# expect: ?(.*)$/gm)].map((m) => m[1]);
  const errors = [...source.matchAll(/# error: ?(.*)$/gm)].map((m) => m[1]);
  const status = Number(/# status: (\d+)/.exec(source)?.[1] ?? 0);
  return { stdout, errors, status };
}

for (const name of readdirSync(dir).filter((f) => f.endsWith(".ns")).sort()) {
  test(`language: ${name}`, () => {
    const file = join(dir, name);
    const want = expectations(readFileSync(file, "utf8"));
    const got = runCli([file]);
    const lines = got.stdout.split("\n");
    if (lines.at(-1) === "") lines.pop();
    assert.equal(lines, want.stdout, got.stderr);
    for (const e of want.errors) assert.ok(got.stderr.includes(e), `stderr lacks "${e}":\n${got.stderr}`);
    assert.is(got.status, want.status, got.stderr);
  });
}

test.run();
