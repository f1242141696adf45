// The parser: one chevrotain instance, built on first use and reused.
// Building it analyses the whole grammar, which takes far longer than
// parsing a typical script.

import { EOF, type CstNode, type IRecognitionException, type IToken }
  from "chevrotain";
import type { Loc } from "./ast.js";
import { locOf } from "./locations.js";
import type { Problem } from "./messages.js";
import { StatementRules } from "./parser-statements.js";

class NsParser extends StatementRules {
  constructor() {
    super();
    this.performSelfAnalysis();
  }
}

let instance: NsParser | undefined;

function parser(): NsParser {
  instance ??= new NsParser();
  return instance;
}

/** Which rule a token list is parsed with. */
export type Entry = "program" | "template";

export interface Parsed {
  cst: CstNode;
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
  const cst = p[entry]();

  const errors = p.errors.map((e) => problemOf(e, end));
  return { cst, problems: [...p.checks, ...errors] };
}

function problemOf(error: IRecognitionException, end: Loc): Problem {
  const atEnd = error.token.tokenType === EOF;
  const loc = atEnd ? end : locOf(error.token);
  return { message: error.message, loc, incomplete: atEnd, atEnd };
}
