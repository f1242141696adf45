// Binary operators. Types are never coerced silently: `"1" + 1` is an
// error, not "11", because a script that compares pids should not be
// surprised by strings.

import type { BinaryOp, Loc } from "../grammar/ast.js";
import { ScriptError } from "./errors.js";
import type { Value } from "./values.js";
import { equal, show, typeOf } from "./values.js";

/** Applies `op`; throws a located script error for unfit operands. */
export function binary(op: BinaryOp, a: Value, b: Value, loc: Loc): Value {
  switch (op) {
    case "==": return equal(a, b);
    case "!=": return !equal(a, b);
    case "+": return add(a, b, loc);
    case "contains": return contains(a, b, loc);
    case "matches": return matches(a, b, loc);
    case "<": case "<=": case ">": case ">=": return compare(op, a, b, loc);
    default: return arithmetic(op, a, b, loc);
  }
}

function add(a: Value, b: Value, loc: Loc): Value {
  if (typeof a === "number" && typeof b === "number") return a + b;
  if (typeof a === "string" && typeof b === "string") return a + b;
  if (Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
  if (typeof a === "string" || typeof b === "string") {
    const hint = `; write "\${...}" to put a ${typeOf(typeof a === "string" ? b : a)} into a string`;
    throw new ScriptError(`cannot add ${typeOf(a)} and ${typeOf(b)}${hint}`, loc);
  }
  throw new ScriptError(`cannot add ${typeOf(a)} and ${typeOf(b)}`, loc);
}

function arithmetic(op: BinaryOp, a: Value, b: Value, loc: Loc): number {
  if (typeof a !== "number" || typeof b !== "number") {
    throw new ScriptError(`cannot apply '${op}' to ${typeOf(a)} and ${typeOf(b)}`, loc);
  }
  if ((op === "/" || op === "%") && b === 0) {
    throw new ScriptError("division by zero", loc);
  }
  if (op === "-") return a - b;
  if (op === "*") return a * b;
  if (op === "/") return a / b;
  return a % b;
}

function compare(op: BinaryOp, a: Value, b: Value, loc: Loc): boolean {
  const fit = (typeof a === "number" && typeof b === "number") ||
    (typeof a === "string" && typeof b === "string");
  if (!fit) {
    throw new ScriptError(`cannot compare ${typeOf(a)} and ${typeOf(b)} with '${op}'`, loc);
  }
  const x = a as number | string;
  const y = b as number | string;
  if (op === "<") return x < y;
  if (op === "<=") return x <= y;
  if (op === ">") return x > y;
  return x >= y;
}

/** `text contains part`, or `list contains item`. */
function contains(a: Value, b: Value, loc: Loc): boolean {
  if (Array.isArray(a)) return a.some((item) => equal(item, b));
  if (typeof a === "string") return a.includes(show(b));
  const what = a === null ? "null (was the output captured?)" : typeOf(a);
  throw new ScriptError(`'contains' needs a string or a list on the left, found ${what}`, loc);
}

/** `text matches "regex"`: a JavaScript regular expression. */
function matches(a: Value, b: Value, loc: Loc): boolean {
  if (typeof a !== "string" || typeof b !== "string") {
    throw new ScriptError(`'matches' needs two strings, found ${typeOf(a)} and ${typeOf(b)}`, loc);
  }
  try {
    return new RegExp(b, "m").test(a);
  } catch (error) {
    throw new ScriptError(`bad regular expression "${b}": ${(error as Error).message}`, loc);
  }
}
