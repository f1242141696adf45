// Builds expression nodes from the parser's CST, one function per rule.
// Operator chains are folded in loops, so a long `a + b + c ...` costs no
// stack here.

import type { CstNode, IToken } from "chevrotain";
import type { BinaryOp, Expr } from "./ast.js";
import {
  cloneExpr, setnsExpr, spawnExpr, unshareExpr,
} from "./cst-namespace.js";
import {
  firstToken, maybeSub, pick, sub, subs, tok, toks,
} from "./cst.js";
import { locOf } from "./locations.js";
import type { StringPayload } from "./strings.js";

// ---------------------------------------------------------- precedence

type Build = (node: CstNode) => Expr;
type Join = (op: IToken, left: Expr, right: Expr) => Expr;

/** The `expression` rule: a lone leaf, or the lowest level, `or`. */
export function expression(node: CstNode): Expr {
  const leaf = node.children.Leaf as IToken[] | undefined;
  if (leaf) return literal(leafKind(leaf[0]), leaf[0]);
  return fold(node, "andExpr", "OrOp", andExpr, or);
}

// A leaf token's kind as the primary rule would have named it.
function leafKind(token: IToken): string {
  const name = token.tokenType.name;
  return LITERAL_KEYS.includes(name) ? name : "Identifier";
}

const LITERAL_KEYS = [
  "NumberLit", "StringLit", "True", "False", "Null", "Host",
];

function andExpr(node: CstNode): Expr {
  return fold(node, "notExpr", "AndOp", notExpr, and);
}

function notExpr(node: CstNode): Expr {
  const operand = comparison(sub(node, "comparison"));
  return prefixed(toks(node, "NotOp"), "not", operand);
}

function comparison(node: CstNode): Expr {
  return fold(node, "term", "ComparisonOp", term, binary);
}

function term(node: CstNode): Expr {
  return fold(node, "factor", "AdditiveOp", factor, binary);
}

function factor(node: CstNode): Expr {
  return fold(node, "unary", "MultiplicativeOp", unary, binary);
}

function unary(node: CstNode): Expr {
  const operand = postfix(sub(node, "postfix"), "suffix");
  return prefixed(toks(node, "Minus"), "-", operand);
}

/** Folds `a op b op c` from the left: operands and operators by key. */
function fold(node: CstNode, key: string, opKey: string, next: Build,
  join: Join): Expr {
  const operands = subs(node, key);
  const ops = toks(node, opKey);
  let left = next(operands[0]);
  for (let i = 0; i < ops.length; i++) {
    left = join(ops[i], left, next(operands[i + 1]));
  }
  return left;
}

const or: Join = (op, left, right) =>
  ({ type: "Logical", op: "or", left, right, loc: locOf(op) });
const and: Join = (op, left, right) =>
  ({ type: "Logical", op: "and", left, right, loc: locOf(op) });
const binary: Join = (op, left, right) => ({
  type: "Binary", op: op.image as BinaryOp, left, right, loc: locOf(op),
});

/** Applies prefix operators from the innermost (last) outwards. */
function prefixed(ops: IToken[], op: "-" | "not", operand: Expr): Expr {
  let value = operand;
  for (let i = ops.length - 1; i >= 0; i--) {
    value = { type: "Unary", op, operand: value, loc: locOf(ops[i]) };
  }
  return value;
}

// -------------------------------------------------------------- postfix

// Member and Index start where their whole chain starts; a Call sits at
// its `(` so an error in `a.b.c()` points at the call.
function postfix(node: CstNode, suffixKey: string): Expr {
  const first = sub(node, "primary");
  let value = primary(first);
  const suffixes = subs(node, suffixKey);
  if (suffixes.length === 0) return value;

  const start = locOf(firstToken(first));
  for (const suffix of suffixes) value = applySuffix(value, suffix, start);
  return value;
}

/** The first token of an expression, found without building it. */
export function expressionStart(node: CstNode): IToken {
  const leaf = node.children.Leaf;
  if (leaf) return leaf[0] as IToken;
  const not = sub(sub(node, "andExpr"), "notExpr");
  if (not.children.NotOp) return tok(not, "NotOp")!;
  const unary = sub(sub(sub(sub(not, "comparison"), "term"), "factor"),
    "unary");
  if (unary.children.Minus) return tok(unary, "Minus")!;
  return firstToken(sub(sub(unary, "postfix"), "primary"));
}

/** An option value: a primary with calls and members, no indexing. */
export function optionValue(node: CstNode): Expr {
  return postfix(node, "valueSuffix");
}

function applySuffix(object: Expr, suffix: CstNode, start: Expr["loc"])
  : Expr {
  const args = maybeSub(suffix, "args");
  if (args) return call(object, args);
  const name = tok(suffix, "PropertyName");
  if (name) {
    return { type: "Member", object, property: name.image, loc: start };
  }
  const index = expression(sub(suffix, "expression"));
  return { type: "Index", object, index, loc: start };
}

function call(callee: Expr, args: CstNode): Expr {
  const loc = locOf(tok(args, "LParen")!);
  return { type: "Call", callee, args: items(args), loc };
}

function items(node: CstNode): Expr[] {
  const list = maybeSub(node, "items");
  return list ? subs(list, "expression").map(expression) : [];
}

// -------------------------------------------------------------- primary

const RULES: Record<string, (node: CstNode) => Expr> = {
  list: (node) =>
    ({ type: "List", items: items(node), loc: locOf(tok(node, "LBracket")!) }),
  spawnExpr,
  cloneExpr,
  unshareExpr,
  setnsExpr,
};

// The commonest first.
const PRIMARY_KEYS = [
  "Identifier", "StringLit", "NumberLit", "LParen", "list", "True",
  "False", "Null", "Host", "BuiltinName", "spawnExpr", "cloneExpr",
  "unshareExpr", "setnsExpr",
];

function primary(node: CstNode): Expr {
  const key = pick(node, PRIMARY_KEYS);
  if (key === "LParen") return expression(sub(node, "expression"));
  const rule = RULES[key];
  return rule ? rule(sub(node, key)) : literal(key, tok(node, key)!);
}

function literal(key: string, token: IToken): Expr {
  const loc = locOf(token);
  switch (key) {
    case "NumberLit": return { type: "Number", value: +token.image, loc };
    case "StringLit": return stringLit(token);
    case "True": return { type: "Bool", value: true, loc };
    case "False": return { type: "Bool", value: false, loc };
    case "Null": return { type: "Null", loc };
    case "Host": return { type: "Host", loc };
    default: return { type: "Identifier", name: token.image, loc };
  }
}

// The `${}` parts were parsed before the string's own statement was, and
// wait in the token's payload.
function stringLit(token: IToken): Expr {
  const loc = locOf(token);
  const { parts, exprs = [] } = token.payload as StringPayload;
  if (exprs.length === 0) {
    return { type: "String", value: (parts[0] ?? "") as string, loc };
  }
  let next = 0;
  const mixed = parts.map((p) => typeof p === "string" ? p : exprs[next++]);
  return { type: "Template", parts: mixed, loc };
}
