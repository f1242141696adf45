// Expressions: literals, precedence from `or` up to postfix, locations.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parse } from "../../grammar/index.js";
import type { Expr } from "../../grammar/ast.js";
import { bin, expr, id, num, str, where } from "./helpers.js";

const logical = (op: string, left: unknown, right: unknown) =>
  ({ type: "Logical", op, left, right });
const unary = (op: string, operand: unknown) =>
  ({ type: "Unary", op, operand });

test("literals", () => {
  assert.equal(expr("42"), num(42));
  assert.equal(expr("3.25"), num(3.25));
  assert.equal(expr('"s"'), str("s"));
  assert.equal(expr("''"), str(""));
  assert.equal(expr("true"), { type: "Bool", value: true });
  assert.equal(expr("false"), { type: "Bool", value: false });
  assert.equal(expr("null"), { type: "Null" });
  assert.equal(expr("host"), { type: "Host" });
  assert.equal(expr("[1, 2, 3]"),
    { type: "List", items: [num(1), num(2), num(3)] });
  assert.equal(expr("[]"), { type: "List", items: [] });
});

test("* binds tighter than +, and both associate left", () => {
  assert.equal(expr("1 + 2 * 3"), bin("+", num(1), bin("*", num(2), num(3))));
  assert.equal(expr("1 - 2 - 3"), bin("-", bin("-", num(1), num(2)), num(3)));
  assert.equal(expr("8 / 4 % 3"), bin("%", bin("/", num(8), num(4)), num(3)));
});

test("comparison sits below arithmetic", () => {
  assert.equal(expr("a + 1 < b * 2"),
    bin("<", bin("+", id("a"), num(1)), bin("*", id("b"), num(2))));
  for (const op of ["==", "!=", "<", "<=", ">", ">=", "contains", "matches"]) {
    assert.equal(expr(`a ${op} b`), bin(op, id("a"), id("b")));
  }
});

test("not sits below comparison, and above and", () => {
  assert.equal(expr("not a == b"), unary("not", bin("==", id("a"), id("b"))));
  assert.equal(expr("not a and b"),
    logical("and", unary("not", id("a")), id("b")));
  assert.equal(expr("not not a"), unary("not", unary("not", id("a"))));
});

test("and binds tighter than or", () => {
  assert.equal(expr("a and b or c"),
    logical("or", logical("and", id("a"), id("b")), id("c")));
  assert.equal(expr("a or b and c"),
    logical("or", id("a"), logical("and", id("b"), id("c"))));
});

test("&&, || and ! are aliases of and, or and not", () => {
  assert.equal(expr("!a && b || c"), expr("not a and b or c"));
});

test("unary minus binds tighter than * and looser than postfix", () => {
  assert.equal(expr("-a * b"), bin("*", unary("-", id("a")), id("b")));
  assert.equal(expr("-p.pid"),
    unary("-", { type: "Member", object: id("p"), property: "pid" }));
  assert.equal(expr("1 - -2"), bin("-", num(1), unary("-", num(2))));
});

test("parentheses group", () => {
  assert.equal(expr("(1 + 2) * 3"), bin("*", bin("+", num(1), num(2)), num(3)));
});

test("postfix chains: call, member, index", () => {
  assert.equal(expr("f(a, b)"),
    { type: "Call", callee: id("f"), args: [id("a"), id("b")] });
  assert.equal(expr("x[0]"), { type: "Index", object: id("x"), index: num(0) });
  assert.equal(expr("p.wait()"), {
    type: "Call", args: [],
    callee: { type: "Member", object: id("p"), property: "wait" },
  });
  assert.equal(expr("ns(p).net.id"), {
    type: "Member", property: "id", object: {
      type: "Member", property: "net",
      object: { type: "Call", callee: id("ns"), args: [id("p")] },
    },
  });
});

test("any keyword may follow a dot", () => {
  assert.equal(expr("a.if.net.ns.compare(1)"), {
    type: "Call", args: [num(1)], callee: {
      type: "Member", property: "compare", object: {
        type: "Member", property: "ns", object: {
          type: "Member", property: "net",
          object: { type: "Member", object: id("a"), property: "if" },
        },
      },
    },
  });
});

test("calls and lists allow a trailing comma", () => {
  assert.equal(expr("f(1, 2,)"), expr("f(1, 2)"));
  assert.equal(expr("[\n  1,\n  2,\n]"), expr("[1, 2]"));
});

test("namespace expressions nest inside others", () => {
  const e = expr('[spawn "a", clone net]');
  assert.ok(e.type === "List");
  assert.equal(e.items.map((i) => i.type), ["Spawn", "Clone"]);
  assert.equal(expr('(spawn "x").status'), {
    type: "Member", property: "status", object: {
      type: "Spawn", options: [], command: str("x"), background: false,
    },
  });
});

test("a command is a full expression", () => {
  const e = expr('spawn "echo " + name');
  assert.ok(e.type === "Spawn");
  assert.equal(e.command, bin("+", str("echo "), id("name")));
});

test("comparisons do not chain", () => {
  assert.is(where("let v = 1 < x < 5"),
    "1:15 expected 'and' or 'or' after 'x', found '<'");
});

// -------------------------------------------------------------- locations

function parsed(source: string): Expr {
  const s = parse(source, "t").body[0];
  if (s.type !== "Let") throw new Error(s.type);
  return s.value;
}

test("binary and logical nodes sit at their operator", () => {
  const e = parsed("let v = a +  b or c");
  assert.ok(e.type === "Logical" && e.left.type === "Binary");
  assert.equal(e.loc, { line: 1, column: 16, offset: 15 });
  assert.equal(e.left.loc, { line: 1, column: 11, offset: 10 });
  assert.equal(e.left.left.loc, { line: 1, column: 9, offset: 8 });
});

test("a call sits at its (, members and indexes at the chain start", () => {
  const e = parsed("let v = (a).b[0](1)");
  assert.ok(e.type === "Call" && e.callee.type === "Index");
  assert.is(e.loc.column, 17);
  assert.is(e.callee.loc.column, 9);
  assert.ok(e.callee.object.type === "Member");
  assert.is(e.callee.object.loc.column, 9);
});

test("unary, list and string nodes sit at their first token", () => {
  const e = parsed('let v = [-x, "s"]');
  assert.ok(e.type === "List");
  assert.is(e.loc.column, 9);
  assert.is(e.items[0].loc.column, 10);
  assert.is(e.items[1].loc.column, 14);
});

test.run();
