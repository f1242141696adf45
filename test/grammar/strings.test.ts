// String literals: escapes, raw strings, and `${}` templates.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parse } from "../../grammar/index.js";
import { bin, expr, id, num, str, where } from "./helpers.js";

const template = (...parts: unknown[]) => ({ type: "Template", parts });

test("double-quoted escapes", () => {
  assert.equal(expr('"a\\"b\\\\c\\nd\\te\\rf\\$g\\eh"'),
    str('a"b\\c\nd\te\rf$g\x1bh'));
});

test("an unknown escape keeps its backslash, for regexes", () => {
  assert.equal(expr('"^pid \\d+$"'), str("^pid \\d+$"));
});

test("single quotes are raw but for \\' and \\\\", () => {
  assert.equal(expr("'a\\nb ${x} \\'q\\' \\\\'"), str("a\\nb ${x} 'q' \\"));
});

test("strings may span lines", () => {
  assert.equal(expr('"one\ntwo"'), str("one\ntwo"));
  const s = parse('let a = "x\ny"\nlet b = 1', "t").body[1];
  assert.equal(s.loc, { line: 3, column: 1, offset: 14 });
});

test("$ without a brace, and \\$, are plain text", () => {
  assert.equal(expr('"cost $5 \\${x}"'), str("cost $5 ${x}"));
  assert.equal(expr("\"sh -c 'echo $$'\""), str("sh -c 'echo $$'"));
});

test("interpolation alternates text and expressions", () => {
  assert.equal(expr('"pid is ${p.pid}"'), template("pid is ",
    { type: "Member", object: id("p"), property: "pid" }));
  assert.equal(expr('"${a}${b} and ${a + 1}!"'),
    template(id("a"), id("b"), " and ", bin("+", id("a"), num(1)), "!"));
  assert.equal(expr('"\\n${x}"'), template("\n", id("x")));
});

test("nested braces and strings inside ${} lex correctly", () => {
  assert.equal(expr('"${f("}")}"'),
    template({ type: "Call", callee: id("f"), args: [str("}")] }));
  assert.equal(expr(`"\${f('}')} done"`), template(
    { type: "Call", callee: id("f"), args: [str("}")] }, " done"));
  assert.equal(expr('"a${"b${c}d"}e"'),
    template("a", template("b", id("c"), "d"), "e"));
});

test("an expression may span lines inside ${}", () => {
  assert.equal(expr('"${\n  a +\n  b\n}"'),
    template(bin("+", id("a"), id("b"))));
});

test("locations inside ${} are where they are in the file", () => {
  const s = parse('let v = "ab\ncd ${ x.y }"', "t").body[0];
  assert.ok(s.type === "Let" && s.value.type === "Template");
  const member = s.value.parts[1];
  assert.ok(typeof member !== "string");
  assert.equal(member.loc, { line: 2, column: 7, offset: 18 });
});

test("an error inside ${} points into the string", () => {
  assert.is(where('let v = "a ${x +} b"'),
    "1:17 expected an expression after '+', found '}'");
  assert.is(where('let v = "a ${} b"'),
    "1:14 expected an expression after '${', found '}'");
  assert.is(where('let v = "a ${x y} b"'),
    "1:16 expected '}' after 'x', found 'y'");
  assert.is(where('let v = 1\nlet w = "line\n  ${ 1 + @ }"'),
    "3:10 unexpected character '@'");
});

test("an error inside ${} is not an incomplete input", () => {
  const e = parse.bind(null, 'x = "${1 +}"', "t");
  assert.throws(e, (err: { incomplete: boolean }) => !err.incomplete);
});

test("the first error wins, inside a string or not", () => {
  assert.is(where('x = "${)}"\nlet = 1'),
    "1:8 expected an expression after '${', found ')'");
  assert.is(where('let = 1\nx = "${)}"'),
    "1:5 expected a name after 'let', found '='");
});

test.run();
