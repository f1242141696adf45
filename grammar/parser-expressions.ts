// Expression rules, one per precedence level from lowest to highest:
// or, and, not, comparison, + -, * / %, unary minus, postfix, primary.

import {
  CstParser, type CstNode, type IOrAlt, type IToken, type ParserMethod,
} from "chevrotain";
import { expected, messages, type Problem } from "./messages.js";
import { locOf } from "./locations.js";
import * as T from "./tokens.js";

export type Rule = ParserMethod<[], CstNode>;

// Tokens that carry an expression on past its first operand, by
// tokenTypeIdx (categories expanded), for a check made per expression.
const CONTINUATIONS: boolean[] = [];
for (const type of [
  T.Dot, T.LParen, T.LBracket, T.OrOp, T.AndOp, T.ComparisonOp,
  T.AdditiveOp, T.MultiplicativeOp,
]) {
  CONTINUATIONS[type.tokenTypeIdx!] = true;
  for (const idx of type.categoryMatches ?? []) CONTINUATIONS[idx] = true;
}

function continues(token: IToken): boolean {
  return CONTINUATIONS[token.tokenTypeIdx] === true;
}

/** The grammar's expressions; statement rules build on this class. */
export abstract class ExpressionRules extends CstParser {
  // Defined with the namespace rules; primary refers to them.
  abstract spawnExpr: Rule;
  abstract cloneExpr: Rule;
  abstract unshareExpr: Rule;
  abstract setnsExpr: Rule;

  /** Errors the grammar itself cannot express, found during a parse. */
  checks: Problem[] = [];
  /** The text being parsed, for quoting it in those errors. */
  source = "";

  constructor() {
    super(T.allTokens, {
      recoveryEnabled: false,
      maxLookahead: 2,
      errorMessageProvider: messages,
      // The grammar's own checks cost half of building the parser at every
      // start-up; the grammar tests build it with them on instead.
      skipValidations: !process.env.NSREPL_VALIDATE_GRAMMAR,
    });
  }

  // Most expressions are a lone literal or name. Going down all nine
  // levels for each would make most of the parser's work and most of its
  // garbage, so when the token after a leaf cannot continue an expression
  // the leaf is taken right here.
  expression = this.RULE("expression", () => {
    this.OR({ MAX_LOOKAHEAD: 1, IGNORE_AMBIGUITIES: true, DEF: this.shapes });
  });

  private readonly shapes: IOrAlt<unknown>[] = [
    {
      GATE: () => !continues(this.LA(2)),
      ALT: () => this.CONSUME(T.Leaf),
    },
    { ALT: () => {
      this.SUBRULE(this.andExpr);
      this.MANY(() => {
        this.CONSUME(T.OrOp);
        this.SUBRULE2(this.andExpr);
      });
    } },
  ];

  andExpr = this.RULE("andExpr", () => {
    this.SUBRULE(this.notExpr);
    this.MANY(() => {
      this.CONSUME(T.AndOp);
      this.SUBRULE2(this.notExpr);
    });
  });

  // Prefix operators are a loop, not recursion: fewer stack frames.
  notExpr = this.RULE("notExpr", () => {
    this.MANY(() => this.CONSUME(T.NotOp));
    this.SUBRULE(this.comparison);
  });

  // Comparisons do not chain: `1 < x < 5` is an error, not a surprise.
  // A loop with a check rather than two optional parts keeps the
  // lookahead to one token.
  comparison = this.RULE("comparison", () => {
    let count = 0;
    this.SUBRULE(this.term);
    this.MANY(() => {
      const op = this.CONSUME(T.ComparisonOp);
      this.ACTION(() => {
        if (++count === 2) this.chained(this.LA(-1), op);
      });
      this.SUBRULE2(this.term);
    });
  });

  term = this.RULE("term", () => {
    this.SUBRULE(this.factor);
    this.MANY(() => {
      this.CONSUME(T.AdditiveOp);
      this.SUBRULE2(this.factor);
    });
  });

  factor = this.RULE("factor", () => {
    this.SUBRULE(this.unary);
    this.MANY(() => {
      this.CONSUME(T.MultiplicativeOp);
      this.SUBRULE2(this.unary);
    });
  });

  unary = this.RULE("unary", () => {
    this.MANY(() => this.CONSUME(T.Minus));
    this.SUBRULE(this.postfix);
  });

  postfix = this.RULE("postfix", () => {
    this.SUBRULE(this.primary);
    this.MANY(() => this.SUBRULE(this.suffix));
  });

  suffix = this.RULE("suffix", () => this.OR(this.suffixes));

  // Alternatives of the hottest choices are built once rather than on
  // every call, as chevrotain's performance guide advises.
  private readonly suffixes: IOrAlt<unknown>[] = [
    { ALT: () => this.SUBRULE(this.args) },
    { ALT: () => {
      this.CONSUME(T.Dot);
      this.CONSUME(T.PropertyName);
    } },
    { ALT: () => {
      this.CONSUME(T.LBracket);
      this.SUBRULE(this.expression);
      this.CONSUME(T.RBracket);
    } },
  ];

  args = this.RULE("args", () => {
    this.CONSUME(T.LParen);
    this.OPTION(() => this.SUBRULE(this.items));
    this.CONSUME(T.RParen);
  });

  /**
   * A comma-separated list with an optional trailing comma. An empty item
   * is skipped here and refused by a check, which keeps the loop decided
   * by one token of lookahead.
   */
  items = this.RULE("items", () => {
    this.SUBRULE(this.expression);
    this.MANY(() => {
      const comma = this.CONSUME(T.Comma);
      this.ACTION(() => this.emptyItem(comma));
      this.OPTION(() => this.SUBRULE2(this.expression));
    });
  });

  primary = this.RULE("primary", () => this.OR(this.primaries));

  private readonly primaries: IOrAlt<unknown>[] = [
    { ALT: () => this.CONSUME(T.NumberLit) },
    { ALT: () => this.CONSUME(T.StringLit) },
    { ALT: () => this.CONSUME(T.True) },
    { ALT: () => this.CONSUME(T.False) },
    { ALT: () => this.CONSUME(T.Null) },
    { ALT: () => this.CONSUME(T.Host) },
    { ALT: () => this.CONSUME(T.Identifier) },
    { ALT: () => this.SUBRULE(this.list) },
    { ALT: () => {
      this.CONSUME(T.LParen);
      this.SUBRULE(this.expression);
      this.CONSUME(T.RParen);
    } },
    { ALT: () => this.CONSUME(T.BuiltinName) },
    { ALT: () => this.SUBRULE(this.spawnExpr) },
    { ALT: () => this.SUBRULE(this.cloneExpr) },
    { ALT: () => this.SUBRULE(this.unshareExpr) },
    { ALT: () => this.SUBRULE(this.setnsExpr) },
  ];

  list = this.RULE("list", () => {
    this.CONSUME(T.LBracket);
    this.OPTION(() => this.SUBRULE(this.items));
    this.CONSUME(T.RBracket);
  });

  /** `${expr}` in a string: the lexer's tokens between `${` and `}`. */
  template = this.RULE("template", () => {
    this.CONSUME(T.DollarBrace);
    this.SUBRULE(this.expression);
    this.CONSUME(T.RCurly);
  });

  private emptyItem(comma: IToken): void {
    const previous = this.LA(-1);
    if (previous.tokenType !== T.Comma) return;
    const message = expected("an expression", previous, comma);
    this.checks.push({ message, loc: locOf(comma), incomplete: false });
  }

  private chained(previous: IToken, op: IToken): void {
    const message = expected("'and' or 'or'", previous, op);
    this.checks.push({ message, loc: locOf(op), incomplete: false });
  }
}
