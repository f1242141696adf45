// Turns the parser's CST into the typed AST of ast.ts. Statements are
// here; expressions and the namespace forms have their own files.

import type { CstNode } from "chevrotain";
import type {
  AssignStmt, BlockStmt, Expr, IfStmt, Loc, Stmt,
} from "./ast.js";
import { expression, expressionStart } from "./cst-expressions.js";
import { setnsExpr, unshareExpr } from "./cst-namespace.js";
import { lastToken, maybeSub, pick, sub, subs, tok, toks } from "./cst.js";
import { locOf } from "./locations.js";

/** Builds the statements of a `program` CST; `source` is the parsed text. */
export function toStatements(cst: CstNode, source: string): Stmt[] {
  return new StatementBuilder(source).list(sub(cst, "statements"));
}

/** Builds the expression of a `template` CST: one `${}` part. */
export function toTemplateExpr(cst: CstNode): Expr {
  return expression(sub(cst, "expression"));
}

// Statements with a rule of their own, the commonest first (as counted
// in examples/): they are tried in order.
const STATEMENT_KEYS = [
  "changeStmt", "ifStmt", "forStmt", "fnDecl", "whileStmt", "returnStmt",
  "block", "tryStmt", "inspectStmt", "Break", "Continue",
];

// A class only so that `expect` can slice the source it keeps.
class StatementBuilder {
  constructor(private readonly source: string) {}

  list(node: CstNode): Stmt[] {
    return subs(node, "statement").map((s) => this.statement(s));
  }

  private statement(node: CstNode): Stmt {
    // The commonest statements sit in the statement node itself.
    const kids = node.children;
    if (kids.CommandName !== undefined) return commandStmt(node);
    if (kids.expression !== undefined) {
      if (kids.Let !== undefined) return this.letStmt(node);
      if (kids.Expect !== undefined) return this.expectStmt(node);
      return this.exprStmt(node);
    }

    const key = pick(node, STATEMENT_KEYS);
    if (key === "Break") return { type: "Break", loc: at(node, key) };
    if (key === "Continue") return { type: "Continue", loc: at(node, key) };
    const inner = sub(node, key);
    switch (key) {
      case "ifStmt": return this.ifStmt(inner);
      case "changeStmt": return this.changeStmt(inner);
      case "forStmt": return this.forStmt(inner);
      case "whileStmt": return this.whileStmt(inner);
      case "fnDecl": return this.fnDecl(inner);
      case "returnStmt": return this.returnStmt(inner);
      case "block": return this.block(inner);
      case "tryStmt": return this.tryStmt(inner);
      default: return this.inspectStmt(inner);
    }
  }

  block(node: CstNode): BlockStmt {
    const body = this.list(sub(node, "statements"));
    return { type: "Block", body, loc: at(node, "LCurly") };
  }

  private letStmt(node: CstNode): Stmt {
    const name = tok(node, "Identifier")!.image;
    const value = expression(sub(node, "expression"));
    return { type: "Let", name, value, loc: at(node, "Let") };
  }

  private fnDecl(node: CstNode): Stmt {
    const name = tok(node, "Identifier")!.image;
    const list = maybeSub(node, "params");
    const params = list ? toks(list, "Identifier").map((t) => t.image) : [];
    const body = this.block(sub(node, "block"));
    return { type: "FnDecl", name, params, body, loc: at(node, "Fn") };
  }

  // Built from the last `else` backwards, so that a long `else if` chain
  // needs no recursion.
  private ifStmt(node: CstNode): Stmt {
    const ifs = toks(node, "If");
    const tests = subs(node, "expression");
    const blocks = subs(node, "block");
    let alternate: BlockStmt | IfStmt | null =
      blocks.length > ifs.length ? this.block(blocks[ifs.length]) : null;
    for (let i = ifs.length - 1; i >= 0; i--) {
      const test = expression(tests[i]);
      const consequent = this.block(blocks[i]);
      alternate = { type: "If", test, consequent, alternate, loc: locOf(ifs[i]) };
    }
    return alternate!;
  }

  private forStmt(node: CstNode): Stmt {
    return {
      type: "For",
      name: tok(node, "Identifier")!.image,
      iterable: expression(sub(node, "expression")),
      body: this.block(sub(node, "block")),
      loc: at(node, "For"),
    };
  }

  private whileStmt(node: CstNode): Stmt {
    const test = expression(sub(node, "expression"));
    const body = this.block(sub(node, "block"));
    return { type: "While", test, body, loc: at(node, "While") };
  }

  private returnStmt(node: CstNode): Stmt {
    const given = maybeSub(node, "expression");
    const value = given ? expression(given) : null;
    return { type: "Return", value, loc: at(node, "Return") };
  }

  private tryStmt(node: CstNode): Stmt {
    return {
      type: "Try",
      block: this.block(sub(node, "block")),
      param: tok(node, "Identifier")?.image ?? null,
      handler: this.block(sub(node, "block", 1)),
      loc: at(node, "Try"),
    };
  }

  private expectStmt(node: CstNode): Stmt {
    const [test, message] = subs(node, "expression");
    const start = expressionStart(test).startOffset;
    const end = lastToken(test);
    return {
      type: "Expect",
      test: expression(test),
      message: message ? expression(message) : null,
      text: this.source.slice(start, end.endOffset! + 1),
      loc: at(node, "Expect"),
    };
  }

  private inspectStmt(node: CstNode): Stmt {
    const word = tok(node, "Ns") ?? tok(node, "Compare")!;
    const op = word.image as "ns" | "compare";
    const args = subs(node, "expression").map(expression);
    return { type: "Inspect", op, args, loc: locOf(word) };
  }

  private changeStmt(node: CstNode): Stmt {
    const unshare = maybeSub(node, "unshareExpr");
    const change = unshare
      ? unshareExpr(unshare) : setnsExpr(sub(node, "setnsExpr"));
    const body = maybeSub(node, "block");
    if (!body) return { type: "ExprStmt", expr: change, loc: change.loc };
    return { type: "Scoped", change, body: this.block(body), loc: change.loc };
  }

  private exprStmt(node: CstNode): Stmt {
    const [first, value] = subs(node, "expression");
    const loc = locOf(expressionStart(first));
    if (!value) return { type: "ExprStmt", expr: expression(first), loc };
    // The parser has already refused any other kind of target.
    const target = expression(first) as AssignStmt["target"];
    const rhs = expression(value);
    return { type: "Assign", target, value: rhs, loc };
  }
}

// A call without parentheses sits at its name, having no `(`.
function commandStmt(node: CstNode): Stmt {
  const name = tok(node, "CommandName")!;
  const loc = locOf(name);
  const callee: Expr = { type: "Identifier", name: name.image, loc };
  const args = subs(node, "expression").map(expression);
  return { type: "ExprStmt", expr: { type: "Call", callee, args, loc }, loc };
}

/** Where the token under `key` is: most statements start with one. */
function at(node: CstNode, key: string): Loc {
  return locOf(tok(node, key)!);
}
