// Statement rules. A statement ends at a line break or `;`, and the last
// one in a block may end at its `}`.

import {
  EOF, tokenMatcher, type CstNode, type IOrAlt, type IToken,
} from "chevrotain";
import { firstToken, lastToken } from "./cst.js";
import { locOf } from "./locations.js";
import { quote } from "./messages.js";
import { NamespaceRules } from "./parser-namespace.js";
import * as T from "./tokens.js";

export abstract class StatementRules extends NamespaceRules {
  program = this.RULE("program", () => {
    this.SUBRULE(this.statements);
    this.CONSUME(EOF);
  });

  statements = this.RULE("statements", () => {
    this.MANY(() => this.CONSUME(T.Separator));
    this.OPTION(() => {
      this.SUBRULE(this.statement);
      this.MANY2(() => {
        this.AT_LEAST_ONE(() => this.CONSUME2(T.Separator));
        this.OPTION2(() => this.SUBRULE2(this.statement));
      });
    });
  });

  block = this.RULE("block", () => {
    this.CONSUME(T.LCurly);
    this.SUBRULE(this.statements);
    this.CONSUME(T.RCurly);
  });

  // Decided by the first token alone: the lexer has already told `ns(p)`
  // from `ns p`. `unshare` and `setns` could also begin an expression
  // statement; the first alternative that fits wins, and it handles them.
  statement = this.RULE("statement", () => {
    this.OR({
      MAX_LOOKAHEAD: 1,
      IGNORE_AMBIGUITIES: true,
      DEF: this.statementAlts,
    });
  });

  // Built once rather than on every call, as chevrotain advises. The
  // commonest statements (let, expect, print-style calls, expressions and
  // assignments) are parts of this rule rather than rules of their own,
  // which saves each a rule call.
  private readonly statementAlts: IOrAlt<unknown>[] = [
    { ALT: () => {
      this.CONSUME(T.Let);
      this.CONSUME(T.Identifier);
      this.CONSUME(T.Assign);
      this.SUBRULE(this.expression);
    } },
    { ALT: () => this.SUBRULE(this.fnDecl) },
    { ALT: () => this.SUBRULE(this.ifStmt) },
    { ALT: () => this.SUBRULE(this.forStmt) },
    { ALT: () => this.SUBRULE(this.whileStmt) },
    { ALT: () => this.SUBRULE(this.returnStmt) },
    { ALT: () => this.CONSUME(T.Break) },
    { ALT: () => this.CONSUME(T.Continue) },
    { ALT: () => this.SUBRULE(this.tryStmt) },
    { ALT: () => {
      this.CONSUME(T.Expect);
      this.SUBRULE1(this.expression);
      this.OPTION(() => {
        this.CONSUME(T.Comma);
        this.SUBRULE2(this.expression);
      });
    } },
    { ALT: () => this.SUBRULE(this.inspectStmt) },
    { ALT: () => this.SUBRULE(this.changeStmt) },
    { ALT: () => this.SUBRULE(this.block) },
    // `print x, y`: a call without parentheses (see retag.ts).
    { ALT: () => {
      this.CONSUME(T.CommandName);
      this.itemParts(5);
    } },
    // An expression, or an assignment when `=` follows it.
    { ALT: () => {
      const target = this.SUBRULE3(this.expression);
      this.OPTION1(() => {
        this.CONSUME1(T.Assign);
        this.ACTION(() => this.checkTarget(target));
        this.SUBRULE4(this.expression);
      });
    } },
  ];

  fnDecl = this.RULE("fnDecl", () => {
    this.CONSUME(T.Fn);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.LParen);
    this.OPTION(() => this.SUBRULE(this.params));
    this.CONSUME(T.RParen);
    this.SUBRULE(this.block);
  });

  params = this.RULE("params", () => {
    this.CONSUME(T.Identifier);
    this.MANY(() => {
      this.CONSUME(T.Comma);
      this.CONSUME2(T.Identifier);
    });
  });

  // `else if` is a loop rather than a nested rule, so a long chain costs
  // no stack.
  ifStmt = this.RULE("ifStmt", () => {
    this.CONSUME(T.If);
    this.SUBRULE(this.expression);
    this.SUBRULE(this.block);
    this.MANY(() => {
      this.CONSUME(T.Else);
      this.CONSUME2(T.If);
      this.SUBRULE2(this.expression);
      this.SUBRULE2(this.block);
    });
    this.OPTION(() => {
      this.CONSUME2(T.Else);
      this.SUBRULE3(this.block);
    });
  });

  forStmt = this.RULE("forStmt", () => {
    this.CONSUME(T.For);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.In);
    this.SUBRULE(this.expression);
    this.SUBRULE(this.block);
  });

  whileStmt = this.RULE("whileStmt", () => {
    this.CONSUME(T.While);
    this.SUBRULE(this.expression);
    this.SUBRULE(this.block);
  });

  returnStmt = this.RULE("returnStmt", () => {
    this.CONSUME(T.Return);
    this.OPTION(() => this.SUBRULE(this.expression));
  });

  tryStmt = this.RULE("tryStmt", () => {
    this.CONSUME(T.Try);
    this.SUBRULE(this.block);
    this.CONSUME(T.Catch);
    this.OPTION(() => this.CONSUME(T.Identifier));
    this.SUBRULE2(this.block);
  });

  inspectStmt = this.RULE("inspectStmt", () => {
    this.OR([
      { ALT: () => {
        this.CONSUME(T.Ns);
        this.SUBRULE(this.expression);
      } },
      { ALT: () => {
        this.CONSUME(T.Compare);
        this.SUBRULE2(this.expression);
        this.CONSUME(T.Comma);
        this.SUBRULE3(this.expression);
      } },
    ]);
  });

  /** `unshare ...` or `setns ...`, scoped when a block follows. */
  changeStmt = this.RULE("changeStmt", () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.unshareExpr) },
      { ALT: () => this.SUBRULE(this.setnsExpr) },
    ]);
    this.OPTION(() => this.SUBRULE(this.block));
  });

  private checkTarget(target: CstNode): void {
    if (assignable(target)) return;
    const first = firstToken(target);
    const end = lastToken(target).endOffset! + 1;
    const text = this.source.slice(first.startOffset, end);
    const message = `cannot assign to ${quote(text)}`;
    this.checks.push({ message, loc: locOf(first), incomplete: false });
  }
}

/**
 * Whether an expression can be assigned to: a name, member or index, that
 * is one operand, with no operator, and no call at its end.
 */
function assignable(expression: CstNode): boolean {
  // The first operand's parts sit in the expression node itself.
  const kids = expression.children;
  if (kids.op !== undefined || kids.NotOp !== undefined) return false;
  if (kids.Minus !== undefined) return false;
  // A call's suffix is an `args` node; a member's or index's, a token.
  const suffixes = kids.suffix as (CstNode | IToken)[] | undefined;
  if (suffixes) return "image" in suffixes[suffixes.length - 1];
  const leaf = kids.Leaf as IToken[] | undefined;
  return leaf !== undefined && tokenMatcher(leaf[0], T.Identifier);
}
