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
import * as T from "./tokens.js";

// ---------------------------------------------------------- precedence

type Join = (op: IToken, left: Expr, right: Expr) => Expr;

/**
 * The `expression` rule: operands, and the operators between them. The
 * first operand's parts sit in the expression node itself.
 */
export function expression(node: CstNode): Expr {
  const kids = node.children;
  if (kids.op === undefined && kids.NotOp === undefined) return operand(node);
  const operands = [node, ...subs(node, "operand")];
  return new Folder(operands, toks(node, "op"), toks(node, "NotOp")).or();
}

// The levels an operator binds at, loosest first; `not`, a prefix,
// binds between `and` and the comparisons.
const OR = 0;
const AND = 1;
const NOT = 2;
const COMPARISON = 3;
const ADDITIVE = 4;
const MULTIPLICATIVE = 5;

const levels: number[] = [];
for (const [category, level] of [
  [T.OrOp, OR], [T.AndOp, AND], [T.ComparisonOp, COMPARISON],
  [T.AdditiveOp, ADDITIVE], [T.MultiplicativeOp, MULTIPLICATIVE],
] as const) {
  for (const idx of category.categoryMatches!) levels[idx] = level;
}

const JOINS: Join[] = [];
JOINS[OR] = (op, left, right) =>
  ({ type: "Logical", op: "or", left, right, loc: locOf(op) });
JOINS[AND] = (op, left, right) =>
  ({ type: "Logical", op: "and", left, right, loc: locOf(op) });
JOINS[COMPARISON] = JOINS[ADDITIVE] = JOINS[MULTIPLICATIVE] =
  (op, left, right) => ({
    type: "Binary", op: op.image as BinaryOp, left, right, loc: locOf(op),
  });

/**
 * Folds the parser's flat list by precedence, one level per method call
 * and each level's chain in a loop, left to right, so a long `a + b + c
 * ...` costs no stack. `ops[i]` stands between operands i and i + 1.
 */
class Folder {
  // The next operand to build, and the next `not` to apply.
  private next = 0;
  private nextNot = 0;

  constructor(private readonly operands: CstNode[],
    private readonly ops: IToken[], private readonly nots: IToken[]) {}

  or(): Expr {
    return this.level(OR);
  }

  private level(level: number): Expr {
    if (level === NOT) return this.not();
    let left = this.below(level);
    let op = this.ops[this.next - 1];
    while (op !== undefined && levels[op.tokenTypeIdx] === level) {
      left = JOINS[level](op, left, this.below(level));
      op = this.ops[this.next - 1];
    }
    return left;
  }

  private below(level: number): Expr {
    if (level < MULTIPLICATIVE) return this.level(level + 1);
    return operand(this.operands[this.next++]);
  }

  // The `not`s before this operand and after the operator before it.
  private not(): Expr {
    const end = this.ops[this.next]?.startOffset ?? Infinity;
    const first = this.nextNot;
    const nots = this.nots;
    while (this.nextNot < nots.length &&
      nots[this.nextNot].startOffset < end) this.nextNot++;
    const value = this.level(COMPARISON);
    return prefixed(nots.slice(first, this.nextNot), "not", value);
  }
}

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
function operand(node: CstNode): Expr {
  const kids = node.children;
  const leaf = kids.Leaf as IToken[] | undefined;
  let value = leaf ? literal(leafKind(leaf[0]), leaf[0]) : inner(node);
  if (kids.suffix !== undefined) {
    const start = locOf(leaf ? leaf[0] : innerStart(node));
    value = withSuffixes(value, node, start);
  }
  const minus = kids.Minus as IToken[] | undefined;
  return minus ? prefixed(minus, "-", value) : value;
}

// A leaf token's kind as the primary rule would have named it.
function leafKind(token: IToken): string {
  const name = token.tokenType.name;
  return LITERAL_KEYS.includes(name) ? name : "Identifier";
}

const LITERAL_KEYS = [
  "NumberLit", "StringLit", "True", "False", "Null", "Host",
];

// The commonest first, after the leaf.
const INNER_KEYS = [
  "LParen", "list", "BuiltinName", "spawnExpr", "cloneExpr", "unshareExpr",
  "setnsExpr",
];

/** An operand's primary that is not a leaf. */
function inner(node: CstNode): Expr {
  const key = pick(node, INNER_KEYS);
  return primaryAt(node, key);
}

function innerStart(node: CstNode): IToken {
  const key = pick(node, INNER_KEYS);
  const child = node.children[key][0];
  return "image" in child ? child : firstToken(child);
}

/** The first token of an expression, found without building it. */
export function expressionStart(node: CstNode): IToken {
  return firstToken(node);
}

// An option value's suffixes are calls and members only.
function postfix(node: CstNode, suffixKey: string): Expr {
  const first = sub(node, "primary");
  let value = primary(first);
  const suffixes = subs(node, suffixKey);
  if (suffixes.length === 0) return value;

  const start = locOf(firstToken(first));
  for (const suffix of suffixes) value = applySuffix(value, suffix, start);
  return value;
}

/** An option value: a primary with calls and members, no indexing. */
export function optionValue(node: CstNode): Expr {
  return postfix(node, "valueSuffix");
}

// An operand's suffixes, in order under `suffix`: an `args` node for a
// call, `.` with the next name, `[` with the next index.
function withSuffixes(object: Expr, node: CstNode, start: Expr["loc"])
  : Expr {
  const kids = node.children;
  const names = toks(node, "PropertyName");
  const indexes = subs(node, "index");
  let value = object;
  let name = 0;
  let index = 0;
  for (const suffix of kids.suffix) {
    if (!("image" in suffix)) {
      value = call(value, suffix);
    } else if (suffix.tokenType === T.Dot) {
      const property = names[name++].image;
      value = { type: "Member", object: value, property, loc: start };
    } else {
      const at = expression(indexes[index++]);
      value = { type: "Index", object: value, index: at, loc: start };
    }
  }
  return value;
}

// An option value's suffix: a call or a member.
function applySuffix(object: Expr, suffix: CstNode, start: Expr["loc"])
  : Expr {
  const args = maybeSub(suffix, "args");
  if (args) return call(object, args);
  const name = tok(suffix, "PropertyName")!;
  return { type: "Member", object, property: name.image, loc: start };
}

function call(callee: Expr, args: CstNode): Expr {
  const loc = locOf(tok(args, "LParen")!);
  return { type: "Call", callee, args: items(args), loc };
}

// The items of a call or list sit in its own node.
function items(node: CstNode): Expr[] {
  return subs(node, "expression").map(expression);
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
  return primaryAt(node, pick(node, PRIMARY_KEYS));
}

/** The primary held under `key` in a `primary` or `operand` node. */
function primaryAt(node: CstNode, key: string): Expr {
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
