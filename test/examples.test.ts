// Every example is a self-checking tutorial, a script (.ns) or Markdown
// (.md): it must run to the end with status 0 (a failed `expect` exits 1).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { root, runCli } from "./helpers/cli.js";

const dir = join(root, "examples");

const tutorials = readdirSync(dir).filter((f) => /\.(ns|md)$/.test(f)).sort();

for (const name of tutorials) {
  test(`example ${name} runs and its checks hold`, () => {
    const r = runCli([join(dir, name)]);
    assert.is(r.status, 0, `status ${r.status}\n${r.stdout}\n${r.stderr}`);
  });
}

for (const name of ["seed.ns", "seed.md"]) {
  test(`${name} shows PID 1, the comparison and a refused connection`, () => {
    const r = runCli([join(dir, name)]);
    assert.match(r.stdout, /^\S+\s+1\s.*sh -c ps aux/m);
    assert.match(r.stdout, /net\s+net:\[(\d+)\]\s+net:\[\1\]\s+shared/);
    assert.match(r.stdout, /pid\s+pid:\[\d+\]\s+pid:\[\d+\]\s+isolated/);
    assert.match(r.stdout, /from the host: refused/);
  });
}

test.run();
