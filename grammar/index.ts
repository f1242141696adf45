// The grammar's public face: source text in, typed AST or one error out.

import type { Loc, Program } from "./ast.js";
import { parseText } from "./pipeline.js";

export type * from "./ast.js";

/** A syntax error: the first one in the file, with where it is. */
export class ParseError extends Error {
  readonly loc: Loc;
  readonly file: string;
  /**
   * The input ended where more was needed (an open block, list or string,
   * `let x =`): a REPL should read another line rather than report.
   */
  readonly incomplete: boolean;

  constructor(message: string, loc: Loc, file: string, incomplete: boolean) {
    super(message);
    this.name = "ParseError";
    this.loc = loc;
    this.file = file;
    this.incomplete = incomplete;
  }
}

/** Parses a script; throws ParseError at its first syntax error. */
export function parse(source: string, file: string): Program {
  const result = guarded(source, file);
  if (!("message" in result)) return result;
  const { message, loc, incomplete } = result;
  throw new ParseError(message, loc, file, incomplete);
}

// The nesting limit keeps the parser's recursion well inside node's stack,
// but the caller's own depth is unknown; never let a RangeError escape.
function guarded(source: string, file: string) {
  try {
    return parseText(source);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    const loc = { line: 1, column: 1, offset: 0 };
    throw new ParseError("script nests too deeply to parse", loc, file, false);
  }
}
