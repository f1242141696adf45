// The project's example scripts parse, so the grammar and what the
// documentation shows cannot drift apart unnoticed.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "../../grammar/index.js";

// The suite runs from its bundle in dist/test/grammar or from the source
// tree; either way the project root is the first folder with package.json.
function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json"))) dir = dirname(dir);
  return dir;
}

const examples = join(projectRoot(), "examples");

for (const name of readdirSync(examples).filter((f) => f.endsWith(".ns"))) {
  test(`examples/${name} parses`, () => {
    const source = readFileSync(join(examples, name), "utf8");
    assert.ok(parse(source, name).body.length > 0);
  });
}

test.run();
