// The grammar fuzzer, CI-sized: mutated scripts must either parse or end
// in a ParseError whose location lies inside the input — never another
// exception, never a hang. bench/fuzz-long.js runs 100,000.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ParseError, parse } from "../grammar/index.js";
import { root } from "./helpers/cli.js";
import { corpus, mutate, random } from "./fuzz/mutate.js";

const COUNT = Number(process.env.FUZZ_COUNT ?? 3000);
const SEED = Number(process.env.FUZZ_SEED ?? 20261203);

/** Checks one input; returns a problem description or null. */
export function check(input: string): string | null {
  try {
    parse(input, "fuzz.ns");
    return null;
  } catch (error) {
    if (!(error instanceof ParseError)) return `threw ${String(error)}`;
    const lines = input.split("\n").length;
    const { line, column } = error.loc;
    if (line < 1 || line > lines + 1 || column < 1) return `bad location ${line}:${column}`;
    if (!error.message) return "empty message";
    return null;
  }
}

test(`${COUNT} mutated scripts each parse or give a located syntax error`, () => {
  const texts = corpus(root, ["examples", "test/lang"]);
  const rnd = random(SEED);
  for (let i = 0; i < COUNT; i++) {
    const input = mutate(texts, rnd);
    const problem = check(input);
    assert.is(problem, null, `input ${i} (seed ${SEED}): ${problem}\n${input}`);
  }
});

test("huge inputs end in an error, not a crash: 10,000 nested blocks, a 10 MB string", () => {
  assert.is(check("{".repeat(10_000)), null);
  assert.is(check("if x {".repeat(10_000)), null);
  assert.is(check(`let s = "${"a".repeat(10 * 1024 * 1024)}"\n`), null);
});

test.run();
