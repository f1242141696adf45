// Conversions from chevrotain's token and CST positions to AST locations.

import { EOF, type CstNode, type IToken } from "chevrotain";
import type { Loc } from "./ast.js";

/** Where a token starts, as an AST location. */
export function locOf(token: IToken): Loc {
  return {
    line: token.startLine!, column: token.startColumn!,
    offset: token.startOffset,
  };
}

function isToken(child: CstNode | IToken): child is IToken {
  return "image" in child;
}

/**
 * The first token under a CST node. Chevrotain adds children in the order
 * it parses them, so the first key holds the earliest child.
 */
export function firstToken(node: CstNode): IToken {
  let child: CstNode | IToken = node;
  while (!isToken(child)) {
    for (const key in child.children) {
      child = child.children[key][0];
      break;
    }
  }
  return child;
}

/** The last token under a CST node (keys need not be in source order). */
export function lastToken(node: CstNode): IToken {
  let last: IToken | undefined;
  for (const key in node.children) {
    const list = node.children[key];
    const child = list[list.length - 1];
    const token = isToken(child) ? child : lastToken(child);
    if (!last || token.startOffset > last.startOffset) last = token;
  }
  return last!;
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
