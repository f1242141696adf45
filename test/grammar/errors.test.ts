// Syntax errors: the message, the exact place, whether more input would
// have helped, and that no input can crash the parser.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parse, ParseError } from "../../grammar/index.js";
import { failure, where } from "./helpers.js";

test("a missing name after let", () => {
  assert.is(where("let = 3"), "1:5 expected a name after 'let', found '='");
});

test("a missing command after spawn or its options", () => {
  assert.is(where("spawn"),
    "1:6 expected a command after 'spawn', found end of input");
  assert.is(where("x = 1\nspawn )"),
    "2:7 expected a command after 'spawn', found ')'");
  assert.is(where("spawn capture ;"),
    "1:15 expected a command after 'capture', found ';'");
});

test("an unknown namespace kind", () => {
  assert.is(where("clone foo"), "1:7 expected a namespace kind " +
    "(user, mnt, pid, net, uts, ipc, cgroup, time, all) after 'clone', " +
    "found 'foo'");
  assert.is(where('x = 1\n  unshare net, "uts"'), "2:16 expected a " +
    "namespace kind (user, mnt, pid, net, uts, ipc, cgroup, time, all) " +
    "after ',', found '\"uts\"'");
});

test("option words want their values", () => {
  assert.is(where("unshare user map )"), "1:18 expected 'root', 'user' " +
    "or a map range (inside outside count) after 'map', found ')'");
  assert.is(where("unshare mnt propagation up"), "1:25 expected 'private', " +
    "'slave', 'shared' or 'unchanged' after 'propagation', found 'up'");
  assert.is(where("unshare user setgroups maybe"),
    "1:24 expected 'allow' or 'deny' after 'setgroups', found 'maybe'");
  assert.is(where("clone uts hostname )"),
    "1:20 expected a value after 'hostname', found ')'");
  assert.is(where("unshare user map 0 1"),
    "1:21 expected a value after '1', found end of input");
});

test("setns options want their values", () => {
  assert.is(where("setns p root"),
    "1:13 expected a value after 'root', found end of input");
  assert.is(where('setns p net cwd )'),
    "1:17 expected a value after 'cwd', found ')'");
  assert.is(where("setns p mount proc proc"),
    "1:20 expected end of line after 'proc', found 'proc'");
  assert.is(where("clone time offset 5"),
    "1:19 expected 'monotonic' or 'boottime' after 'offset', found '5'");
  assert.is(where("clone time offset boottime -"),
    "1:29 expected a value after '-', found end of input");
});

test("a missing expression names what came before", () => {
  assert.is(where("let x = )"),
    "1:9 expected an expression after '=', found ')'");
  assert.is(where("x = 1 +\n\n*"),
    "3:1 expected an expression after '+', found '*'");
  assert.is(where("f(1,,2)"),
    "1:5 expected an expression after ',', found ','");
  assert.is(where("let x = ns p"),
    "1:9 expected an expression after '=', found 'ns'");
});

test("a call without parentheses only starts a statement", () => {
  assert.is(where("let y = print x"),
    "1:15 expected end of line after 'print', found 'x'");
  assert.is(where('x = "${print x}"'),
    "1:14 expected '}' after 'print', found 'x'");
});

test("two statements on one line", () => {
  assert.is(where("let x = 1 2"),
    "1:11 expected end of line after '1', found '2'");
  assert.is(where('spawn "a" "b"'),
    "1:11 expected end of line after '\"a\"', found '\"b\"'");
  assert.is(where("if x { a = 1 b }"),
    "1:14 expected end of line or '}' after '1', found 'b'");
});

test("a token that starts no statement", () => {
  assert.is(where("x = 1\n)"), "2:1 expected a statement, found ')'");
  assert.is(where("if x { ) }"),
    "1:8 expected a statement or '}' after '{', found ')'");
  assert.is(where("x = 1; )"),
    "1:8 expected a statement after ';', found ')'");
});

test("blocks, conditions and parameters", () => {
  assert.is(where("if x\n{ }"),
    "1:5 expected '{' after 'x', found end of line");
  assert.is(where("fn f(a b) {}"), "1:8 expected ')' after 'a', found 'b'");
  assert.is(where("for in xs {}"),
    "1:5 expected a name after 'for', found 'in'");
  assert.is(where("try {} x"), "1:8 expected 'catch' after '}', found 'x'");
  assert.is(where("compare a"),
    "1:10 expected ',' after 'a', found end of input");
});

test("assignment needs a name, member or index", () => {
  assert.is(where("f(x) = 3"), "1:1 cannot assign to 'f(x)'");
  assert.is(where("x = 1\n  a + b = 3"), "2:3 cannot assign to 'a + b'");
  assert.is(where("x = y = 1"),
    "1:7 expected end of line after 'y', found '='");
});

test("lexer errors are syntax errors with a place", () => {
  assert.is(where("x = 1\ny = 2 @ 3"), "2:7 unexpected character '@'");
  assert.is(where("x = `ls`"), "1:5 unexpected character '`'");
  assert.is(where('x = 1\nlet s = "abc\n\n'),
    "2:9 unterminated string '\"abc...'");
  assert.is(where("x = 'it"), "1:5 unterminated string ''it'");
});

test("only the first error is reported", () => {
  assert.is(where("let = 1\nlet = 2\n@"),
    "1:5 expected a name after 'let', found '='");
  assert.is(where("x = 1 @\nlet = 2"), "1:7 unexpected character '@'");
  assert.is(where("let = 2 @"), "1:5 expected a name after 'let', found '='");
});

test("errors carry the file, and the message no location", () => {
  const e = failure("let = 3");
  assert.instance(e, ParseError);
  assert.instance(e, Error);
  assert.is(e.file, "test.ns");
  assert.is(e.loc.offset, 4);
  assert.not.match(e.message, /test\.ns|1:5/);
});

// ------------------------------------------------------------- incomplete

const incomplete = (source: string) => failure(source).incomplete;

test("input that simply ended early is incomplete", () => {
  for (const source of [
    "if x {", "if x {\n  spawn \"ls\"\n", "fn f(a,", "let xs = [1, 2",
    "f(1", "let x =", "let x = 1 +", "spawn", "clone pid,", "x = (1 + 2",
    'x = "abc', 'x = "a ${b', "x = 'abc", "try { } catch e", "if a {} else",
    "let x =\n\n", "expect x,", "unshare user map 0",
  ]) {
    assert.ok(incomplete(source), source);
  }
});

test("input with a real mistake is not incomplete", () => {
  for (const source of [
    "let = 3", "let x = 1 2", "x = )", "clone foo", "}", "x = @",
    'x = "${1 +}"', "f(1,,", "let x = 1\n)",
  ]) {
    assert.not.ok(incomplete(source), source);
  }
});

test("an error at the end of input sits just after the last token", () => {
  const e = failure("if x {\n  y = 1   \n\n");
  assert.equal(e.loc, { line: 2, column: 8, offset: 14 });
  assert.is(e.message,
    "expected end of line or '}' after '1', found end of input");
});

// ---------------------------------------------------------------- nesting

test("deep nesting is a syntax error, never a stack overflow", () => {
  const deep = ["{", "(", "[", "-", "not ", "spawn ", "setns ", "clone net "]
    .map((s) => s.repeat(1e4))
    .concat(["x = " + "(".repeat(1e4), "f(" + "[".repeat(1e4)]);
  for (const source of deep) {
    const e = failure(source);
    assert.instance(e, ParseError);
    assert.match(e.message, /^nesting deeper than 64 levels at '/);
  }
  assert.is(where("{".repeat(10000)),
    "1:65 nesting deeper than 64 levels at '{'");
  assert.is(where("x = 1\nspawn " + "spawn ".repeat(70)),
    "2:385 nesting deeper than 64 levels at 'spawn'");
});

test("nesting within the limit parses", () => {
  const n = 64;
  for (const source of [
    "x = " + "(".repeat(n) + "1" + ")".repeat(n),
    "{".repeat(n) + "}".repeat(n),
    "x = " + "[".repeat(n) + "]".repeat(n),
    "x = " + "f(".repeat(n) + ")".repeat(n),
    "x = " + "-".repeat(n) + "1",
    "x = " + "spawn ".repeat(n) + '"a"',
    "x = " + "[spawn ".repeat(n / 2) + '"a"' + "]".repeat(n / 2),
  ]) {
    parse(source, "t");
  }
});

test("namespace keywords count only until their item ends", () => {
  const many = Array.from({ length: 200 }, (_, i) => `spawn "${i}"`);
  parse(`x = [${many.join(", ")}]`, "t");
  parse(many.join("\n"), "t");
  parse(many.join("; "), "t");
  parse("if spawn \"a\" {\n" + many.join("\n") + "\n}", "t");
});

test("nested templates count toward the limit", () => {
  let source = "x";
  for (let i = 0; i < 150; i++) source = `"\${${source}}"`;
  assert.match(failure(`y = ${source}`).message, /^nesting deeper/);
});

test("an error earlier than too deep nesting is reported first", () => {
  assert.is(where("let = 1\n" + "(".repeat(500)),
    "1:5 expected a name after 'let', found '='");
});

test("the parser works after an error", () => {
  failure("let = 1");
  failure("{".repeat(10000));
  assert.is(parse("let x = 1", "t").body.length, 1);
});

test.run();
