// Source text to AST: lex, parse the `${}` parts of strings, parse, build.
// Each stage may find an error; the one earliest in the file is reported,
// so the user always sees the first mistake they made.

import type { IToken, TokenType } from "chevrotain";
import type { Expr, Loc, Program, Stmt } from "./ast.js";
import { toStatements, toTemplateExpr } from "./cst-to-ast.js";
import {
  makeToken, tokenize, topLevelPieces, type TemplateToken,
} from "./lexer.js";
import { endOf, locOf } from "./locations.js";
import type { Problem } from "./messages.js";
import { parseTokens } from "./parser.js";
import type { Slice, StringPayload } from "./strings.js";
import { DollarBrace, Newline, RCurly } from "./tokens.js";

const START: Loc = { line: 1, column: 1, offset: 0 };

/** Parses a whole file, or returns its first syntax error. */
export function parseText(text: string): Program | Problem {
  const lexed = tokenize(text, { origin: START, depth: 0, statements: true });
  const problems = [...lexed.problems];
  const inTemplates = parseTemplates(lexed.templates);
  if (inTemplates) problems.push(inTemplates);

  const end = endOf(lexed.tokens, START);
  const body: Stmt[] = [];
  for (const piece of topLevelPieces(lexed.tokens)) {
    if (problems.length > 0 && past(piece, problems)) break;
    const parsed = parseTokens(piece, "program", text, end);
    problems.push(...parsed.problems);
    if (parsed.problems.length > 0) break;
    body.push(...toStatements(parsed.cst!, text));
  }
  return earliest(problems) ?? { type: "Program", body, loc: START };
}

// Once an error is known, statements after it need no parsing.
function past(piece: IToken[], problems: Problem[]): boolean {
  const first = piece[0];
  return first !== undefined &&
    first.startOffset > earliest(problems)!.loc.offset;
}

// Errors at the end of input come last: when the lexer stopped early
// (nesting too deep), the parser's "end" is not the real one.
function earliest(problems: Problem[]): Problem | undefined {
  const at = (p: Problem) => p.atEnd ? Infinity : p.loc.offset;
  let first: Problem | undefined;
  for (const p of problems) if (!first || at(p) < at(first)) first = p;
  return first;
}

// ------------------------------------------------------------ templates

/** Parses every `${}` part, stopping at the first error. */
function parseTemplates(templates: TemplateToken[]): Problem | undefined {
  for (const { token, depth } of templates) {
    const payload = token.payload as StringPayload;
    payload.exprs = [];
    for (const part of payload.parts) {
      if (typeof part === "string") continue;
      const problem = parsePart(token, part, depth + 1, payload.exprs);
      if (problem) return problem;
    }
  }
  return undefined;
}

// The part is lexed on its own, with positions moved to where it sits in
// the file, then framed by `${` and `}` tokens so that errors read
// "expected an expression after '${', found '}'". Its expression goes
// into `exprs`.
function parsePart(string: IToken, slice: Slice, depth: number,
  exprs: Expr[]): Problem | undefined {
  const text = string.image.slice(slice.start, slice.end);
  const origin = positionIn(string, slice.start);
  const lexed = tokenize(text, { origin, depth, statements: false });
  const nested = parseTemplates(lexed.templates);

  // `${` sits just before the part, on its line.
  const dollar = { line: origin.line, column: origin.column - 2,
    offset: origin.offset - 2 };
  const closing = advance(string.image, origin, slice.start, slice.end);
  const close = marker(RCurly, "}", closing);
  const tokens = [marker(DollarBrace, "${", dollar)];
  for (const t of lexed.tokens) if (t.tokenType !== Newline) tokens.push(t);
  tokens.push(close);
  const parsed = parseTokens(tokens, "template", text, locOf(close));

  const problems = lexed.problems.concat(parsed.problems);
  if (nested) problems.push(nested);
  const problem = earliest(problems);
  if (!problem) exprs.push(toTemplateExpr(parsed.cst!));
  return problem;
}

function marker(type: TokenType, image: string, at: Loc): IToken {
  const end = { line: at.line, column: at.column + image.length - 1 };
  return makeToken(type, image, at, end);
}

/** The file position of the character `rel` places into a token. */
function positionIn(token: IToken, rel: number): Loc {
  const start = {
    line: token.startLine!, column: token.startColumn!,
    offset: token.startOffset,
  };
  return advance(token.image, start, 0, rel);
}

/** Moves `at`, the position of `image[from]`, on to `image[to]`. */
function advance(image: string, at: Loc, from: number, to: number): Loc {
  let line = at.line;
  let column = at.column;
  for (let i = from; i < to; i++) {
    const c = image[i];
    const crlf = c === "\r" && image[i + 1] === "\n";
    if ((c === "\n" || c === "\r") && !crlf) {
      line++;
      column = 1;
    } else if (!crlf) {
      column++;
    }
  }
  return { line, column, offset: at.offset + to - from };
}
