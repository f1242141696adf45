// Statements, where they end, and the names a script may use.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parse } from "../../grammar/index.js";
import { bin, id, num, stmt, stmts, str } from "./helpers.js";

const block = (...body: unknown[]) => ({ type: "Block", body });
const call = (name: string, ...args: unknown[]) =>
  ({ type: "ExprStmt", expr: { type: "Call", callee: id(name), args } });

test("let and assignment to a name, member and index", () => {
  assert.equal(stmts("let x = 1; x = x + 1; p.status = 2; xs[0] = 3"), [
    { type: "Let", name: "x", value: num(1) },
    { type: "Assign", target: id("x"), value: bin("+", id("x"), num(1)) },
    { type: "Assign", value: num(2),
      target: { type: "Member", object: id("p"), property: "status" } },
    { type: "Assign", value: num(3),
      target: { type: "Index", object: id("xs"), index: num(0) } },
  ]);
});

test("fn declares parameters and a body", () => {
  assert.equal(stmt("fn add(a, b) { return a + b }"), {
    type: "FnDecl", name: "add", params: ["a", "b"],
    body: block({ type: "Return", value: bin("+", id("a"), id("b")) }),
  });
  assert.equal(stmt("fn f() {}"),
    { type: "FnDecl", name: "f", params: [], body: block() });
});

test("if, else if and else nest as alternates", () => {
  assert.equal(stmt("if x > 1 { a() } else if y { b() } else { c() }"), {
    type: "If", test: bin(">", id("x"), num(1)), consequent: block(call("a")),
    alternate: {
      type: "If", test: id("y"), consequent: block(call("b")),
      alternate: block(call("c")),
    },
  });
  assert.equal(stmt("if x {}"),
    { type: "If", test: id("x"), consequent: block(), alternate: null });
});

test("a long else-if chain costs no recursion", () => {
  const source = "if a {}" + " else if b {}".repeat(5000) + " else {}";
  let node = parse(source, "t").body[0];
  let depth = 0;
  while (node.type === "If" && node.alternate) {
    node = node.alternate;
    depth++;
  }
  assert.is(depth, 5001);
});

test("for, while, break and continue", () => {
  assert.equal(stmt('for k in ["net", "uts"] { break }'), {
    type: "For", name: "k",
    iterable: { type: "List", items: [str("net"), str("uts")] },
    body: block({ type: "Break" }),
  });
  assert.equal(stmt("while n < 3 { n = n + 1; continue }"), {
    type: "While", test: bin("<", id("n"), num(3)),
    body: block(
      { type: "Assign", target: id("n"), value: bin("+", id("n"), num(1)) },
      { type: "Continue" },
    ),
  });
});

test("try and catch, with and without a name", () => {
  assert.equal(stmt("try { f() } catch e { g(e) }"), {
    type: "Try", block: block(call("f")), param: "e",
    handler: block(call("g", id("e"))),
  });
  assert.equal(stmt("try {} catch {}"),
    { type: "Try", block: block(), param: null, handler: block() });
});

test("return with and without a value", () => {
  assert.equal(stmts("fn f() { return }\nfn g() { return 1 }").map(
    (s) => s.type === "FnDecl" && s.body.body[0]), [
    { type: "Return", value: null },
    { type: "Return", value: num(1) },
  ]);
});

test("a bare block is a statement", () => {
  assert.equal(stmt("{ let x = 1 }"),
    block({ type: "Let", name: "x", value: num(1) }));
});

test("soft keywords are ordinary names", () => {
  assert.equal(stmts('let time = 1; let user = "x"; map = root + all'), [
    { type: "Let", name: "time", value: num(1) },
    { type: "Let", name: "user", value: str("x") },
    { type: "Assign", target: id("map"),
      value: bin("+", id("root"), id("all")) },
  ]);
  assert.equal(stmt("for net in nets { spawn net }"), {
    type: "For", name: "net", iterable: id("nets"),
    body: block({ type: "ExprStmt", expr: {
      type: "Spawn", options: [], command: id("net"), background: false,
    } }),
  });
  assert.equal(stmt("fn f(pid, hostname) {}"),
    { type: "FnDecl", name: "f", params: ["pid", "hostname"], body: block() });
});

test("soft keywords as setns targets and option values", () => {
  assert.equal(stmt("setns pid pid"), {
    type: "ExprStmt",
    expr: { type: "Setns", target: id("pid"), kinds: [{ kind: "pid" }],
      options: [] },
  });
});

test("a statement may call a function without parentheses", () => {
  const unary = (op: string, operand: unknown) =>
    ({ type: "Unary", op, operand });
  assert.equal(stmt('print "a", b'), call("print", str("a"), id("b")));
  assert.equal(stmt("print -x * 2"),
    call("print", bin("*", unary("-", id("x")), num(2))));
  assert.equal(stmt("print [1]"),
    call("print", { type: "List", items: [num(1)] }));
  assert.equal(stmt("print not ok, time"),
    call("print", unary("not", id("ok")), id("time")));
  assert.equal(stmt('print spawn "x"'), call("print", {
    type: "Spawn", options: [], command: str("x"), background: false,
  }));
  assert.equal(stmt("{ print x }"), block(call("print", id("x"))));
});

test("without an argument on the line, a name is just a name", () => {
  assert.equal(stmt("print"), { type: "ExprStmt", expr: id("print") });
  assert.equal(stmts("print\nx"), [
    { type: "ExprStmt", expr: id("print") },
    { type: "ExprStmt", expr: id("x") },
  ]);
});

test("spacing tells a command's - and [ from an operator's", () => {
  const minus = { type: "ExprStmt", expr: bin("-", id("x"), num(1)) };
  assert.equal(stmt("x - 1"), minus);
  assert.equal(stmt("x-1"), minus);
  assert.equal(stmt("x - -1"),
    { type: "ExprStmt", expr: bin("-", id("x"), { type: "Unary", op: "-",
      operand: num(1) }) });
  assert.equal(stmt("xs[0]"), { type: "ExprStmt",
    expr: { type: "Index", object: id("xs"), index: num(0) } });
  assert.equal(stmt("print (1) + 2"), { type: "ExprStmt",
    expr: bin("+", { type: "Call", callee: id("print"), args: [num(1)] },
      num(2)) });
});

test("a call without parentheses sits at its name", () => {
  const s = parse("x = 1\n  print x", "t").body[1];
  assert.ok(s.type === "ExprStmt" && s.expr.type === "Call");
  assert.equal(s.expr.loc, { line: 2, column: 3, offset: 8 });
  assert.equal(s.expr.callee.loc, s.expr.loc);
});

// ------------------------------------------------------------ separators

test("newlines and semicolons end statements; blank lines are nothing", () => {
  assert.is(stmts("\n\n a = 1\n\n\n b = 2 ;; c = 3\n\n").length, 3);
  assert.is(stmts("").length, 0);
  assert.is(stmts("# only a comment\n").length, 0);
});

test("} ends the last statement of a block", () => {
  assert.equal(stmt("{ a = 1; b = 2 }"), block(
    { type: "Assign", target: id("a"), value: num(1) },
    { type: "Assign", target: id("b"), value: num(2) },
  ));
});

test("else and catch may start the next line", () => {
  assert.equal(stmt("if a {\n} \n else {\n}"),
    stmt("if a {} else {}"));
  assert.equal(stmt("try {\n}\n\ncatch e {\n}"), stmt("try {} catch e {}"));
  assert.equal(stmt("if a {}\nelse if b {}\nelse {}"),
    stmt("if a {} else if b {} else {}"));
});

test("newlines inside ( ) and [ ] are ignored", () => {
  assert.equal(stmt("f(\n  1,\n  2\n)"), stmt("f(1, 2)"));
  assert.equal(stmt("let x = [\n1\n,\n2]"), stmt("let x = [1, 2]"));
  assert.equal(stmt("let x = (1\n+ 2)"), stmt("let x = 1 + 2"));
});

test("a line ending in an operator, comma or keyword goes on", () => {
  assert.equal(stmt("let x =\n  1 +\n  2"), stmt("let x = 1 + 2"));
  assert.equal(stmt("clone pid,\n  mnt"), stmt("clone pid, mnt"));
  assert.equal(stmt("x = a and\n b"), stmt("x = a and b"));
  assert.equal(stmt("spawn\n  \"ls\""), stmt('spawn "ls"'));
});

test("a line ending in a value ends the statement", () => {
  assert.is(stmts("x = a\n- b").length, 2);
  assert.is(stmts("return\nx").length, 2);
});

test("comments run to the end of the line, a shebang is one", () => {
  assert.equal(stmts("#!/usr/bin/env nsrepl\nx = 1 # one\n# done"),
    [{ type: "Assign", target: id("x"), value: num(1) }]);
});

test("statement locations are their first token", () => {
  const body = parse("let a = 1\n  b.c = 2\n  -d\n{ }", "t").body;
  assert.equal(body.map((s) => [s.loc.line, s.loc.column]),
    [[1, 1], [2, 3], [3, 3], [4, 1]]);
  assert.equal(body[1].loc, { line: 2, column: 3, offset: 12 });
});

test("the program starts at the start of the file", () => {
  assert.equal(parse("\n\nx", "t").loc, { line: 1, column: 1, offset: 0 });
});

test.run();
