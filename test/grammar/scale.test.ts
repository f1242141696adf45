// Large inputs: a generated script of 10,000 statements parses whole, with
// the right places, however the parser cuts it into pieces internally.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parse } from "../../grammar/index.js";

const SHAPES = [
  (i: number) => `let p${i} = clone pid, mnt mount proc "echo \${n${i}}" &`,
  (i: number) => `if p${i}.status == 0 {\n  spawn ["ls", "${i}"]\n} else {` +
    `\n  x = x + ${i}\n}`,
  (i: number) => `expect ns(p${i}).net.id != 0, "net ${i}"; f(\n  ${i},\n)`,
];

function script(count: number): { text: string; lines: number[] } {
  const parts: string[] = [];
  const lines: number[] = [];
  let line = 1;
  for (let i = 0; i < count; i++) {
    const text = SHAPES[i % SHAPES.length](i);
    parts.push(text);
    lines.push(line);
    line += text.split("\n").length;
  }
  return { text: parts.join("\n") + "\n", lines };
}

test("a 10,000-statement script parses whole", () => {
  const { text, lines } = script(10000);
  const body = parse(text, "big.ns").body;
  // The third shape holds two statements.
  const expected = 10000 + Math.floor((10000 + 1) / 3);
  assert.is(body.length, expected);
  const starts = body.filter((s) => s.type !== "ExprStmt" ||
    s.expr.type !== "Call").map((s) => s.loc.line);
  assert.equal(starts, lines);
});

test("an error deep in a large script is found at its place", () => {
  const { text } = script(6000);
  const broken = text + "let = 1\n";
  try {
    parse(broken, "big.ns");
    assert.unreachable("parsed");
  } catch (error) {
    const e = error as { loc: { line: number; column: number } };
    assert.is(e.loc.line, text.split("\n").length);
    assert.is(e.loc.column, 5);
  }
});

test.run();
