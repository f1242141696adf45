// The wording of syntax errors: "expected X after Y, found Z". Locations
// are kept as data beside the message; the interpreter's reporter puts
// `file:line:col: error:` in front.

import {
  EOF, type IParserErrorMessageProvider, type IToken, type TokenType,
} from "chevrotain";
import type { Loc } from "./ast.js";
import { LCurly, Newline, RCurly, Semicolon } from "./tokens.js";

/** One syntax error, before it becomes a ParseError. */
export interface Problem {
  message: string;
  loc: Loc;
  /** The input ended where more was needed: a REPL should read on. */
  incomplete: boolean;
  /** Found at the end of input, so it sorts after every other error. */
  atEnd?: boolean;
}

/** What a message calls a kind of token: "'let'", "a name". */
export function tokenName(type: TokenType): string {
  if (type === EOF) return "end of input";
  return type.LABEL ?? type.name;
}

/** How an error message shows a token it found or came after. */
export function show(token: IToken): string {
  if (token.tokenType === EOF) return "end of input";
  if (token.tokenType === Newline) return "end of line";
  return quote(token.image);
}

/** Quotes source text for a message, shortened to one short line. */
export function quote(text: string): string {
  const line = text.split(/\r\n|\r|\n/)[0];
  const cut = line.length > 32 || line !== text;
  return `'${cut ? line.slice(0, 29) + "..." : line}'`;
}

/** "expected X after Y, found Z", leaving out "after" where it says nothing. */
export function expected(what: string, previous: IToken | undefined,
  found: IToken): string {
  return `expected ${what}${after(previous)}, found ${show(found)}`;
}

function after(previous: IToken | undefined): string {
  const silent = !previous || previous.tokenType === EOF ||
    previous.tokenType === Newline;
  return silent ? "" : ` after ${show(previous)}`;
}

function isBreak(token: IToken): boolean {
  const type = token.tokenType;
  return type === Newline || type === Semicolon || type === EOF;
}

// After a complete statement the parser wants a separator, but names only
// the closing token it was about to consume; say what the user can write.
function mismatchWhat(expectedType: TokenType, previous: IToken,
  ruleName: string): string {
  if (expectedType === EOF) {
    return isBreak(previous) ? "a statement" : "end of line";
  }
  if (expectedType === RCurly && ruleName === "block") {
    const fresh = isBreak(previous) || previous.tokenType === LCurly;
    return fresh ? "a statement or '}'" : "end of line or '}'";
  }
  return tokenName(expectedType);
}

function firstTokens(paths: TokenType[][][]): string {
  const names = new Set<string>();
  for (const alt of paths) {
    for (const path of alt) if (path[0]) names.add(tokenName(path[0]));
  }
  const list = [...names];
  if (list.length <= 1) return list[0] ?? "something else";
  return list.slice(0, -1).join(", ") + " or " + list[list.length - 1];
}

// Rules whose failure on their first token reads best as one noun.
const RULE_NOUNS: Record<string, string> = {
  expression: "an expression",
  operand: "an expression",
  primary: "an expression",
  statement: "a statement",
};

/** The message provider handed to the chevrotain parser. */
export const messages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected: type, actual, previous, ruleName }) {
    return expected(mismatchWhat(type, previous, ruleName), previous,
      actual);
  },

  buildNotAllInputParsedMessage({ firstRedundant }) {
    return expected("end of input", undefined, firstRedundant);
  },

  buildNoViableAltMessage(options) {
    const { customUserDescription, ruleName, previous, actual } = options;
    const what = customUserDescription ?? RULE_NOUNS[ruleName] ??
      firstTokens(options.expectedPathsPerAlt);
    return expected(what, previous, actual[0]);
  },

  buildEarlyExitMessage(options) {
    const what = options.customUserDescription ??
      firstTokens([options.expectedIterationPaths]);
    return expected(what, options.previous, options.actual[0]);
  },
};
