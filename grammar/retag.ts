// Some words mean something else depending on the token after them, which
// the lexer's after-pass can see and the parser, deciding on one token,
// cannot. The pass gives such tokens a type of their own:
//   `ns(p)`, `compare(a, b)`   builtin calls, where `ns p` and
//                              `compare a, b` are statements;
//   `print x, y`               at the start of a statement, a name followed
//                              by an argument is a call without parentheses.

import { tokenMatcher, type IToken, type TokenType } from "chevrotain";
import * as T from "./tokens.js";

function retag(token: IToken, type: TokenType): void {
  token.tokenType = type;
  token.tokenTypeIdx = type.tokenTypeIdx!;
}

/** Makes `ns` or `compare` a builtin name when `(` follows it. */
export function retagBuiltin(token: IToken | undefined): void {
  const type = token?.tokenType;
  if (type === T.Ns || type === T.Compare) retag(token!, T.BuiltinName);
}

/** Whether a token is where a statement begins: `previous` came before. */
export function startsStatement(previous: IToken | undefined): boolean {
  const type = previous?.tokenType;
  return type === undefined || type === T.Newline ||
    type === T.Semicolon || type === T.LCurly;
}

// Tokens that start an argument and cannot continue an expression, by
// tokenTypeIdx with categories expanded: this is asked at every statement.
const ARGUMENT: boolean[] = [];
for (const type of [
  T.Leaf, T.NotOp, T.Spawn, T.Clone, T.Unshare, T.Setns, T.Ns, T.Compare,
]) {
  ARGUMENT[type.tokenTypeIdx!] = true;
  for (const idx of type.categoryMatches ?? []) ARGUMENT[idx] = true;
}

/**
 * Makes `name` a command name when `next` starts its first argument. A
 * `-` or `[` counts only with a space before it and, for `-`, none after
 * (`print -x`, `print [1]`), as `x - 1`, `x-1` and `xs[0]` mean what they
 * always do. `(` never does: `f (x)` is an ordinary call.
 */
export function retagCommand(name: IToken, next: IToken,
  after: IToken | undefined): void {
  if (!tokenMatcher(name, T.Identifier)) return;
  if (startsArgument(name, next, after)) retag(name, T.CommandName);
}

function startsArgument(name: IToken, next: IToken,
  after: IToken | undefined): boolean {
  if (ARGUMENT[next.tokenTypeIdx] === true) return true;
  const spaced = next.startOffset > name.endOffset! + 1;
  if (next.tokenType === T.LBracket) return spaced;
  if (next.tokenType !== T.Minus || !spaced || !after) return false;
  return after.startOffset === next.endOffset! + 1;
}
