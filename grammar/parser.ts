// The parser: one chevrotain instance, built on first use and reused.
// Building it analyses the whole grammar, which takes far longer than
// parsing a typical script.

import { EOF, type CstNode, type IRecognitionException, type IToken }
  from "chevrotain";
import type { Loc } from "./ast.js";
import { locOf } from "./locations.js";
import { quote, type Problem } from "./messages.js";
import { StatementRules } from "./parser-statements.js";

class NsParser extends StatementRules {
  constructor() {
    super();
    this.performSelfAnalysis();
  }

  /** The token the parser has reached. */
  reached(): IToken {
    return this.LA(1);
  }
}

let instance: NsParser | undefined;

function parser(): NsParser {
  instance ??= new NsParser();
  return instance;
}

/** Which rule a token list is parsed with. */
export type Entry = "program" | "template";

/** A CST, unless the parse found problems. */
export interface Parsed {
  cst?: CstNode;
  problems: Problem[];
}

/**
 * Parses `tokens` (lexed from `source`); `end` is where errors that find
 * the end of input are reported.
 */
export function parseTokens(tokens: IToken[], entry: Entry, source: string,
  end: Loc): Parsed {
  const p = parser();
  p.input = tokens;
  p.source = source;
  p.checks = [];
  let cst: CstNode;
  try {
    cst = p[entry]();
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return { problems: [overflow(p.reached(), end)] };
  }

  const errors = p.errors.map((e) => problemOf(e, end));
  return { cst, problems: [...p.checks, ...errors] };
}

// The nesting limit keeps the parser's recursion well inside node's stack,
// but how much of the stack the caller has used is unknown: should it
// still run out, report where rather than crash.
function overflow(token: IToken, end: Loc): Problem {
  const atEnd = token.tokenType === EOF;
  const where = atEnd ? "" : ` at ${quote(token.image)}`;
  const message = `script nests too deeply to parse${where}`;
  return { message, loc: atEnd ? end : locOf(token), incomplete: false };
}

function problemOf(error: IRecognitionException, end: Loc): Problem {
  const atEnd = error.token.tokenType === EOF;
  const loc = atEnd ? end : locOf(error.token);
  return { message: error.message, loc, incomplete: atEnd, atEnd };
}
