// Shared by the grammar suites: parse and strip locations, so that tests
// can state the shape of a tree without spelling every position.

import { parse, ParseError } from "../../grammar/index.js";
import type { Expr, Stmt } from "../../grammar/ast.js";

/** A deep copy of an AST value without any `loc` fields. */
export function bare<T>(value: T): T {
  if (Array.isArray(value)) return value.map(bare) as T;
  if (value === null || typeof value !== "object") return value;
  const copy: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    if (key !== "loc") copy[key] = bare(field);
  }
  return copy as T;
}

/** The statements of `source`, without locations. */
export function stmts(source: string): Stmt[] {
  return bare(parse(source, "test.ns").body);
}

/** The one statement of `source`, without locations. */
export function stmt(source: string): Stmt {
  const body = stmts(source);
  if (body.length !== 1) throw new Error(`${body.length} statements`);
  return body[0];
}

/** The expression of `let v = SOURCE`, without locations. */
export function expr(source: string): Expr {
  const s = stmt(`let v = ${source}`);
  if (s.type !== "Let") throw new Error(s.type);
  return s.value;
}

/** The error `source` fails with; throws if it parses. */
export function failure(source: string): ParseError {
  try {
    parse(source, "test.ns");
  } catch (error) {
    if (error instanceof ParseError) return error;
    throw error;
  }
  throw new Error(`parsed: ${JSON.stringify(source)}`);
}

/** "line:column message" of the error `source` fails with. */
export function where(source: string): string {
  const e = failure(source);
  return `${e.loc.line}:${e.loc.column} ${e.message}`;
}

// Short constructors for expected trees.
export const id = (name: string) => ({ type: "Identifier", name });
export const num = (value: number) => ({ type: "Number", value });
export const str = (value: string) => ({ type: "String", value });
export const bin = (op: string, left: unknown, right: unknown) =>
  ({ type: "Binary", op, left, right });
export const kind = (k: string) => ({ kind: k });
