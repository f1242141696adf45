// Turns source text into the token list the parser reads. After chevrotain
// has lexed, one pass decides which line breaks end a statement and stops
// nesting deep enough to overflow the parser's recursion (see nesting.ts).

import {
  Lexer, type ILexingError, type IToken, type TokenType,
} from "chevrotain";
import type { Loc } from "./ast.js";
import { locOf } from "./locations.js";
import { quote, type Problem } from "./messages.js";
import { MAX_DEPTH, Nesting } from "./nesting.js";
import { retagBuiltin, retagCommand, startsStatement } from "./retag.js";
import type { StringPayload } from "./strings.js";
import * as T from "./tokens.js";

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
  lexer ??= new Lexer(T.allTokens, {
    ensureOptimizations: true,
    // Lines and columns are counted by settle() below, which is cheaper
    // than chevrotain's counting, and moves them to the text's place.
    positionTracking: "onlyOffset",
    skipValidations: !process.env.NSREPL_VALIDATE_GRAMMAR,
  });
  return lexer;
}

/** Where a text sits: a `${}` part is an expression inside a string. */
export interface Place {
  origin: Loc;
  /** Levels of nesting already open around the text. */
  depth: number;
  /** Whether the text holds statements, or is one expression. */
  statements: boolean;
}

/** Lexes `text`, moving its positions to where it sits in its file. */
export function tokenize(text: string, place: Place): Lexed {
  const { origin } = place;
  const result = theLexer().tokenize(text);
  const tokens = settle(result.tokens, origin);

  const arranged = arrange(tokens, place);
  // The lexer's first error comes before any the after-pass finds.
  if (result.errors.length > 0) {
    arranged.problems.unshift(lexProblem(text, result.errors[0], origin));
  }
  return arranged;
}

function lexProblem(text: string, error: ILexingError, origin: Loc): Problem {
  const loc = shiftLoc(positionAt(text, error.offset), origin);
  const char = String.fromCodePoint(text.codePointAt(error.offset)!);
  const message = `unexpected character ${quote(char)}`;
  return { message, loc, incomplete: false };
}

// ---------------------------------------------------------------- positions

function shiftLoc(loc: Loc, origin: Loc): Loc {
  return {
    offset: loc.offset + origin.offset,
    line: loc.line + origin.line - 1,
    column: loc.line === 1 ? loc.column + origin.column - 1 : loc.column,
  };
}

// Line breaks are `\r\n`, `\r` or `\n`, as chevrotain counts them.
const CR = 13;
const LF = 10;

/** Where `offset` is in `text`; used only for errors. */
function positionAt(text: string, offset: number): Loc {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset; i++) {
    const c = text.charCodeAt(i);
    if (c === LF || (c === CR && text.charCodeAt(i + 1) !== LF)) {
      line++;
      start = i + 1;
    }
  }
  return { line, column: offset - start + 1, offset };
}

/**
 * Gives each token its lines and columns, moved to `origin`, and each
 * name that is a keyword the keyword's type. Of the tokens, only line
 * breaks and strings hold line breaks; skipped ones (spaces, comments)
 * cannot. The tokens are made anew with one set of fields, so that the
 * parser's reads of them stay monomorphic.
 */
function settle(lexed: IToken[], origin: Loc): IToken[] {
  // Pushed, not preallocated: `new Array(n)` of a large file's length
  // would make a slow dictionary-mode array.
  const tokens: IToken[] = [];
  const at = new Cursor(origin);
  for (const t of lexed) {
    let type = t.tokenType;
    if (type === T.Identifier) type = T.KEYWORDS.get(t.image) ?? type;
    tokens.push(at.token(t, type));
  }
  return tokens;
}

// Counts lines and columns as chevrotain's "full" tracking does, ends of
// tokens that hold line breaks included.
class Cursor {
  private line = 1;
  private lineStart = 0;

  constructor(private readonly origin: Loc) {}

  token(t: IToken, type: TokenType): IToken {
    const start = t.startOffset;
    const length = t.image.length;
    const line = this.line;
    const column = start - this.lineStart + 1;
    let endLine = line;
    let endColumn = column + length - 1;
    if (type === T.Newline) {
      this.line++;
      this.lineStart = start + length;
    } else if (type === T.StringLit && hasBreak(t.image)) {
      const { count, last } = lineBreaks(t.image);
      this.line += count;
      this.lineStart = start + last + 1;
      // One break at the very end leaves the end where it was.
      if (count > 1 || last !== length - 1) {
        const endsInBreak = last === length - 1;
        endLine = endsInBreak ? this.line - 1 : this.line;
        endColumn = endsInBreak ? 1 : length - last - 1;
      }
    }
    return this.made(t, type, line, column, endLine, endColumn);
  }

  private made(t: IToken, type: TokenType, line: number, column: number,
    endLine: number, endColumn: number): IToken {
    const { offset, line: dl, column: dc } = this.origin;
    // The fields of makeToken, in its order; written out here so that no
    // position objects are made for each token of a file.
    return {
      image: t.image,
      startOffset: t.startOffset + offset,
      endOffset: t.startOffset + offset + t.image.length - 1,
      startLine: line + dl - 1,
      endLine: endLine + dl - 1,
      startColumn: line === 1 ? column + dc - 1 : column,
      endColumn: endLine === 1 ? endColumn + dc - 1 : endColumn,
      tokenTypeIdx: type.tokenTypeIdx!,
      tokenType: type,
      payload: t.payload,
    };
  }
}

/**
 * A token as the parser reads it. Every token is made here, with the
 * same fields in the same order, so the parser's reads stay monomorphic.
 */
export function makeToken(type: TokenType, image: string, start: Loc,
  end: { line: number; column: number }, payload?: unknown): IToken {
  return {
    image,
    startOffset: start.offset,
    endOffset: start.offset + image.length - 1,
    startLine: start.line,
    endLine: end.line,
    startColumn: start.column,
    endColumn: end.column,
    tokenTypeIdx: type.tokenTypeIdx!,
    tokenType: type,
    payload,
  };
}

function hasBreak(image: string): boolean {
  return image.indexOf("\n") !== -1 || image.indexOf("\r") !== -1;
}

/** How many line breaks `image` holds, and where the last one ends. */
function lineBreaks(image: string): { count: number; last: number } {
  let count = 0;
  let last = -1;
  for (let i = 0; i < image.length; i++) {
    const c = image.charCodeAt(i);
    if (c === CR && image.charCodeAt(i + 1) === LF) i++;
    else if (c !== CR && c !== LF) continue;
    count++;
    last = i;
  }
  return { count, last };
}

// --------------------------------------------------------- the after-pass

// Looked up by tokenTypeIdx, as this pass sees every token of a file.
const continues: boolean[] = [];

// A line that ends in one of these is not finished, so the line break
// after it is not a separator: `let x =` then `1` on the next line is one
// statement. The REPL relies on this when it reads continuation lines.
for (const type of [
  T.Assign, T.Comma, T.Dot, T.Plus, T.Minus, T.Star, T.Slash, T.Percent,
  T.EqEq, T.NotEq, T.Less, T.LessEq, T.Greater, T.GreaterEq, T.And,
  T.AmpAmp, T.Or, T.PipePipe, T.Not, T.Bang, T.Contains, T.Matches,
  T.Let, T.Fn, T.If, T.Else, T.For, T.In, T.While, T.Try, T.Catch,
  T.Expect, T.Spawn, T.Clone, T.Unshare, T.Setns, T.Ns, T.Compare,
]) {
  continues[type.tokenTypeIdx!] = true;
}

const PAREN = T.LParen.tokenTypeIdx!;
const BRACKET = T.LBracket.tokenTypeIdx!;

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
function arrange(tokens: IToken[], place: Place): Arranged {
  const arranged: Arranged = { tokens: [], templates: [], problems: [] };
  arrangeAll(tokens, place, arranged);
  dropNewline(arranged.tokens);
  return arranged;
}

// The loop alone: V8 optimizes it while a large file is still in it, and
// code after the loop, not yet run then, would deoptimize the function on
// every later call (once per `${}` part).
function arrangeAll(tokens: IToken[], place: Place, into: Arranged): void {
  const { tokens: out, templates, problems } = into;
  const nesting = new Nesting(place.depth);
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    const type = token.tokenType;
    if (type === T.Newline) {
      keepNewline(out, token, nesting);
      continue;
    }
    if (type === T.Else || type === T.Catch) dropNewline(out);
    const level = nesting.step(token);
    if (level > MAX_DEPTH) {
      problems.push(tooDeep(token));
      return;
    }
    if (type === T.StringLit) checkString(token, level, templates, problems);
    retagBefore(out, token, tokens[i + 1], place.statements);
    out.push(token);
  }
}

function keepNewline(out: IToken[], token: IToken, nesting: Nesting): void {
  if (!endsStatement(out, nesting)) return;
  out.push(token);
  nesting.endItem();
}

// Gives the last token kept its meaning in context, now that the one
// after it is known.
function retagBefore(out: IToken[], token: IToken, after: IToken | undefined,
  statements: boolean): void {
  const last = out[out.length - 1];
  if (!last) return;
  if (token.tokenType === T.LParen) retagBuiltin(last);
  else if (statements && startsStatement(out[out.length - 2])) {
    retagCommand(last, token, after);
  }
}

function endsStatement(out: IToken[], nesting: Nesting): boolean {
  const last = out[out.length - 1];
  const inside = nesting.inside();
  if (!last || inside === PAREN || inside === BRACKET) return false;
  const type = last.tokenType;
  if (type === T.Newline || type === T.Semicolon) return false;
  return continues[last.tokenTypeIdx] !== true;
}

function dropNewline(out: IToken[]): void {
  if (out[out.length - 1]?.tokenType === T.Newline) out.pop();
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
  const nesting = new Nesting(0);
  let start = 0;
  tokens.forEach((token, i) => {
    const type = token.tokenType;
    nesting.step(token);
    const separates = type === T.Newline || type === T.Semicolon;
    const outside = nesting.open.length === 0;
    if (separates && outside && i + 1 - start >= PIECE) {
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
  } else if (payload.parts.some((part) => typeof part !== "string")) {
    templates.push({ token, depth });
  }
}
