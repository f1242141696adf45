// Turns source text into the token list the parser reads. After chevrotain
// has lexed, one pass decides which line breaks end a statement and stops
// nesting deep enough to overflow the parser's recursion.

import { Lexer, type ILexingError, type IToken, type TokenType }
  from "chevrotain";
import type { Loc } from "./ast.js";
import { locOf } from "./locations.js";
import { quote, type Problem } from "./messages.js";
import type { StringPayload } from "./strings.js";
import * as T from "./tokens.js";

/**
 * How many brackets, braces and prefix operators may nest. A level of
 * parentheses costs the recursive parser about 40 stack frames, and node's
 * default stack overflows near 190 levels; 100 leaves the caller room.
 */
export const MAX_DEPTH = 100;

/** A string token with `${}` parts, and the nesting it sits at. */
export interface TemplateToken {
  token: IToken;
  depth: number;
}

export interface Lexed {
  tokens: IToken[];
  templates: TemplateToken[];
  problems: Problem[];
}

let lexer: Lexer | undefined;

function theLexer(): Lexer {
  lexer ??= new Lexer(T.allTokens, { ensureOptimizations: true });
  return lexer;
}

/**
 * Lexes `text`, which starts at `origin` in its file (a `${}` part starts
 * inside a string), with `depth` levels of nesting already around it.
 */
export function tokenize(text: string, origin: Loc, depth: number): Lexed {
  const result = theLexer().tokenize(text);
  const problems = result.errors.slice(0, 1)
    .map((e) => lexProblem(text, e, origin));
  shift(result.tokens, origin);

  const arranged = arrange(result.tokens, depth);
  problems.push(...arranged.problems);
  return { ...arranged, problems };
}

function lexProblem(text: string, error: ILexingError, origin: Loc): Problem {
  const loc = {
    offset: error.offset, line: error.line ?? 1, column: error.column ?? 1,
  };
  const message = `unexpected character ${quote(text[error.offset])}`;
  return { message, loc: shiftLoc(loc, origin), incomplete: false };
}

// ---------------------------------------------------------------- shifting

function shiftLoc(loc: Loc, origin: Loc): Loc {
  return {
    offset: loc.offset + origin.offset,
    line: loc.line + origin.line - 1,
    column: loc.line === 1 ? loc.column + origin.column - 1 : loc.column,
  };
}

function shift(tokens: IToken[], origin: Loc): void {
  if (origin.offset === 0 && origin.line === 1 && origin.column === 1) {
    return;
  }
  const dl = origin.line - 1;
  const dc = origin.column - 1;
  for (const t of tokens) {
    if (t.startLine === 1) t.startColumn! += dc;
    if (t.endLine === 1) t.endColumn! += dc;
    t.startLine! += dl;
    t.endLine! += dl;
    t.startOffset += origin.offset;
    t.endOffset! += origin.offset;
  }
}

// --------------------------------------------------------- the after-pass

// A line that ends in one of these is not finished, so the line break
// after it is not a separator: `let x =` then `1` on the next line is one
// statement. The REPL relies on this when it reads continuation lines.
const CONTINUES = new Set<TokenType>([
  T.Assign, T.Comma, T.Dot, T.Plus, T.Minus, T.Star, T.Slash, T.Percent,
  T.EqEq, T.NotEq, T.Less, T.LessEq, T.Greater, T.GreaterEq, T.And,
  T.AmpAmp, T.Or, T.PipePipe, T.Not, T.Bang, T.Contains, T.Matches,
  T.Let, T.Fn, T.If, T.Else, T.For, T.In, T.While, T.Try, T.Catch,
  T.Expect, T.Spawn, T.Clone, T.Unshare, T.Setns, T.Ns, T.Compare,
]);

const OPENS = new Set<TokenType>([T.LParen, T.LBracket, T.LCurly]);
const CLOSER = new Map<TokenType, TokenType>([
  [T.RParen, T.LParen], [T.RBracket, T.LBracket], [T.RCurly, T.LCurly],
]);
const PREFIX = new Set<TokenType>([T.Minus, T.Not, T.Bang]);

interface Arranged {
  tokens: IToken[];
  templates: TemplateToken[];
  problems: Problem[];
}

/**
 * Drops line breaks inside ( ) and [ ], after unfinished lines, before
 * `else` and `catch`, and in runs; checks strings and nesting depth. On a
 * nesting error the tokens stop there, so the parser never sees the depth.
 */
function arrange(tokens: IToken[], depth: number): Arranged {
  const out: IToken[] = [];
  const open: TokenType[] = [];
  const templates: TemplateToken[] = [];
  const problems: Problem[] = [];
  let prefixes = 0;

  for (const token of tokens) {
    const type = token.tokenType;
    if (type === T.Newline) {
      if (endsStatement(out, open)) out.push(token);
      continue;
    }
    if (type === T.Else || type === T.Catch) dropNewline(out);
    track(type, open);
    prefixes = PREFIX.has(type) ? prefixes + 1 : 0;
    if (depth + open.length + prefixes > MAX_DEPTH) {
      problems.push(tooDeep(token));
      return { tokens: out, templates, problems };
    }
    if (type === T.StringLit) {
      checkString(token, depth + open.length, templates, problems);
    }
    if (type === T.LParen) retagBuiltin(out[out.length - 1]);
    out.push(token);
  }
  dropNewline(out);
  return { tokens: out, templates, problems };
}

function retagBuiltin(token: IToken | undefined): void {
  const type = token?.tokenType;
  if (type !== T.Ns && type !== T.Compare) return;
  token!.tokenType = T.BuiltinName;
  token!.tokenTypeIdx = T.BuiltinName.tokenTypeIdx!;
}

function endsStatement(out: IToken[], open: TokenType[]): boolean {
  const last = out[out.length - 1];
  const inside = open[open.length - 1];
  if (!last || inside === T.LParen || inside === T.LBracket) return false;
  const type = last.tokenType;
  return type !== T.Newline && type !== T.Semicolon && !CONTINUES.has(type);
}

function dropNewline(out: IToken[]): void {
  if (out[out.length - 1]?.tokenType === T.Newline) out.pop();
}

// Unbalanced closers are left for the parser to report in context.
function track(type: TokenType, open: TokenType[]): void {
  if (OPENS.has(type)) open.push(type);
  else if (CLOSER.has(type) && open[open.length - 1] === CLOSER.get(type)) {
    open.pop();
  }
}

// How many tokens a piece of a file parsed on its own has, at least.
const PIECE = 200;

/**
 * Cuts the tokens into pieces of whole top-level statements, each cut
 * after a separator outside brackets and braces. The pipeline parses the
 * pieces one by one: chevrotain slows down on long inputs, and a CST for a
 * whole large file would be millions of objects at once.
 */
export function topLevelPieces(tokens: IToken[]): IToken[][] {
  const pieces: IToken[][] = [];
  const open: TokenType[] = [];
  let start = 0;
  tokens.forEach((token, i) => {
    const type = token.tokenType;
    track(type, open);
    const separates = type === T.Newline || type === T.Semicolon;
    if (separates && open.length === 0 && i + 1 - start >= PIECE) {
      pieces.push(tokens.slice(start, i + 1));
      start = i + 1;
    }
  });
  if (start < tokens.length || pieces.length === 0) {
    pieces.push(tokens.slice(start));
  }
  return pieces;
}

function tooDeep(token: IToken): Problem {
  const message =
    `nesting deeper than ${MAX_DEPTH} levels at ${quote(token.image)}`;
  return { message, loc: locOf(token), incomplete: false };
}

function checkString(token: IToken, depth: number,
  templates: TemplateToken[], problems: Problem[]): void {
  const payload = token.payload as StringPayload;
  if (!payload.terminated) {
    const message = `unterminated string ${quote(token.image)}`;
    problems.push({ message, loc: locOf(token), incomplete: true });
  } else if (payload.parts.some((p) => typeof p !== "string")) {
    templates.push({ token, depth });
  }
}
