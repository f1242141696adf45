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
  const result = guarded(source);
  if (!("message" in result)) return result;
  const { message, loc, incomplete } = result;
  throw new ParseError(message, loc, file, incomplete);
}

// The parser itself reports running out of stack at the token it reached;
// this catches the rest, when the caller left almost no stack at all.
function guarded(source: string): ReturnType<typeof parseText> {
  try {
    return parseText(source);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    const loc = { line: 1, column: 1, offset: 0 };
    return { message: "script nests too deeply to parse", loc,
      incomplete: false };
  }
}
