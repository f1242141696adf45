// Conversions from chevrotain's token positions to AST locations.

import { EOF, type IToken } from "chevrotain";
import type { Loc } from "./ast.js";

/** Where a token starts, as an AST location. */
export function locOf(token: IToken): Loc {
  return {
    line: token.startLine!, column: token.startColumn!,
    offset: token.startOffset,
  };
}

/** Where the input ends: just after its last token, for errors at EOF. */
export function endOf(tokens: IToken[], origin: Loc): Loc {
  const last = tokens[tokens.length - 1];
  if (!last || last.tokenType === EOF) return origin;
  return {
    line: last.endLine!, column: last.endColumn! + 1,
    offset: last.endOffset! + 1,
  };
}
