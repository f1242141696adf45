// Expression rules: operands joined by binary operators, an operand being
// a primary with prefix `-`s and suffixes (calls, members, indexing).

import {
  CstParser, type CstNode, type IOrAlt, type IToken, type ParserMethod,
} from "chevrotain";
import { expected, messages, type Problem } from "./messages.js";
import { locOf } from "./locations.js";
import * as T from "./tokens.js";

export type Rule = ParserMethod<[], CstNode>;

// Every binary operator is consumed under one label, so that the CST
// keeps operators and operands each in one array, in source order.
const OP = { LABEL: "op" };
const SUFFIX = { LABEL: "suffix" };
const INDEX = { LABEL: "index" };

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
  // Comparison operators met since the expression's last `and` or `or`.
  private comparisons = 0;

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

  // The precedence levels (or, and, not, comparison, + -, * / %) are one
  // flat loop here; the CST-to-AST step folds them by precedence. A rule
  // per level made every operand pass through seven rules, which was most
  // of the parser's work and most of its garbage. `not` may start the
  // expression or follow `and` and `or` only, as the levels allowed. The
  // first operand's parts sit in the expression's own node, which saves
  // the commonest expressions, a lone name or literal, a rule call.
  expression = this.RULE("expression", () => {
    const outer = this.comparisons;
    this.comparisons = 0;
    this.MANY(() => this.CONSUME(T.NotOp));
    this.operandParts();
    this.MANY3(() => this.OR(this.operators));
    this.comparisons = outer;
  });

  // `and` and `or` start a fresh comparison, which `not` may precede.
  private readonly operators: IOrAlt<unknown>[] = [
    { ALT: () => {
      this.CONSUME1(T.OrOp, OP);
      this.comparisons = 0;
      this.MANY1(() => this.CONSUME6(T.NotOp));
      this.SUBRULE1(this.operand);
    } },
    { ALT: () => {
      this.CONSUME2(T.AndOp, OP);
      this.comparisons = 0;
      this.MANY2(() => this.CONSUME7(T.NotOp));
      this.SUBRULE2(this.operand);
    } },
    { ALT: () => {
      const op = this.CONSUME3(T.ComparisonOp, OP);
      // Comparisons do not chain: `1 < x < 5` is an error, not a surprise.
      this.ACTION(() => {
        if (++this.comparisons === 2) this.chained(this.LA(-1), op);
      });
      this.SUBRULE3(this.operand);
    } },
    { ALT: () => {
      this.CONSUME4(T.AdditiveOp, OP);
      this.SUBRULE4(this.operand);
    } },
    { ALT: () => {
      this.CONSUME5(T.MultiplicativeOp, OP);
      this.SUBRULE5(this.operand);
    } },
  ];

  /** An operand after an operator. */
  operand = this.RULE("operand", () => this.operandParts());

  /** Prefix `-`s, a primary and its suffixes: `-xs[0].f(1)`. */
  private operandParts(): void {
    this.MANY4(() => this.CONSUME(T.Minus));
    this.OR1(this.operandPrimaries);
    this.MANY5(() => this.OR2(this.suffixes));
  }

  // Literals and names are consumed as one category: the builder tells
  // them apart by token type.
  private readonly operandPrimaries: IOrAlt<unknown>[] = [
    { ALT: () => this.CONSUME(T.Leaf) },
    ...this.compoundPrimaries(),
  ];

  /** What a primary may be besides a single token, in both rules. */
  private compoundPrimaries(): IOrAlt<unknown>[] {
    return [
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
  }

  // Suffixes are parts of the operand, not a rule each. Each one starts
  // with an entry labelled `suffix` (an `args` node, or its `.` or `[`),
  // so the CST keeps their order; names and indexes have labels of their
  // own, in order too. Alternatives of the hottest choices are built once
  // rather than on every call, as chevrotain's performance guide advises.
  private readonly suffixes: IOrAlt<unknown>[] = [
    { ALT: () => this.SUBRULE(this.args, SUFFIX) },
    { ALT: () => {
      this.CONSUME(T.Dot, SUFFIX);
      this.CONSUME(T.PropertyName);
    } },
    { ALT: () => {
      this.CONSUME(T.LBracket, SUFFIX);
      this.SUBRULE1(this.expression, INDEX);
      this.CONSUME(T.RBracket);
    } },
  ];

  args = this.RULE("args", () => {
    this.CONSUME(T.LParen);
    this.OPTION(() => this.itemParts());
    this.CONSUME(T.RParen);
  });

  /**
   * A comma-separated list with an optional trailing comma, as parts of
   * the rule it is in; `at` is the first occurrence index it may use, so
   * that the rule's other parts keep theirs. An empty item is skipped here
   * and refused by a check, which keeps the loop decided by one token of
   * lookahead.
   */
  protected itemParts(at = 0): void {
    this.subrule(at, this.expression);
    this.many(at, () => {
      const comma = this.consume(at, T.Comma);
      this.ACTION(() => this.emptyItem(comma));
      this.option(at + 2, () => this.subrule(at + 1, this.expression));
    });
  }

  primary = this.RULE("primary", () => this.OR(this.primaries));

  private readonly primaries: IOrAlt<unknown>[] = [
    { ALT: () => this.CONSUME(T.NumberLit) },
    { ALT: () => this.CONSUME(T.StringLit) },
    { ALT: () => this.CONSUME(T.True) },
    { ALT: () => this.CONSUME(T.False) },
    { ALT: () => this.CONSUME(T.Null) },
    { ALT: () => this.CONSUME(T.Host) },
    { ALT: () => this.CONSUME(T.Identifier) },
    ...this.compoundPrimaries(),
  ];

  list = this.RULE("list", () => {
    this.CONSUME(T.LBracket);
    this.OPTION(() => this.itemParts());
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
