// Measures how deep the parser will recurse, token by token, so that input
// nested too deeply is refused with a syntax error before parsing starts,
// never by a JavaScript stack overflow in the middle of it.

import type { IToken, TokenType } from "chevrotain";
import * as T from "./tokens.js";

/**
 * How deep nesting may go. Each level of brackets costs the parser a few
 * rules (a dozen before the operator levels became one loop): 60 levels
 * of parentheses need between 100 and 150 KB of node's default 984 KB
 * stack when the code is still cold. 64 leaves most of the stack to
 * whoever called the parser.
 */
export const MAX_DEPTH = 64;

const OPENS = 1;
const PREFIX = 2;
const NESTS = 4;
const ENDS_ITEM = 8;
const facts: number[] = [];
const opener: number[] = [];

function mark(fact: number, types: TokenType[]): void {
  for (const t of types) facts[t.tokenTypeIdx!] |= fact;
}

mark(OPENS, [T.LParen, T.LBracket, T.LCurly]);
mark(PREFIX, [T.Minus, T.Not, T.Bang]);
// Their operands are whole expressions, which may hold the same keyword
// again: `spawn spawn spawn ...` recurses without a single bracket.
mark(NESTS, [T.Spawn, T.Clone, T.Unshare, T.Setns]);
mark(ENDS_ITEM, [T.Comma, T.Semicolon]);
opener[T.RParen.tokenTypeIdx!] = T.LParen.tokenTypeIdx!;
opener[T.RBracket.tokenTypeIdx!] = T.LBracket.tokenTypeIdx!;
opener[T.RCurly.tokenTypeIdx!] = T.LCurly.tokenTypeIdx!;

const CURLY = T.LCurly.tokenTypeIdx!;
const COMMA = T.Comma.tokenTypeIdx!;
const KINDS = new Set(T.Kind.categoryMatches);

/**
 * Brackets and braces count one level each until they close; a namespace
 * keyword counts one until its list item or statement ends; a run of
 * prefix operators counts one per operator.
 */
export class Nesting {
  /** The open brackets and braces, innermost last, by tokenTypeIdx. */
  readonly open: number[] = [];
  // Namespace keywords pending at each level, outside all brackets first.
  private readonly keywords: number[] = [0];
  private total = 0;
  private prefixes = 0;
  private previous = -1;

  /** `base`: levels already open around the text, as for a `${}` part. */
  constructor(private readonly base: number) {}

  /** Takes in the next token; returns the depth the parser reaches at it. */
  step(token: IToken): number {
    const idx = token.tokenTypeIdx;
    const fact = facts[idx] ?? 0;
    this.prefixes = fact & PREFIX ? this.prefixes + 1 : 0;
    if (fact & ENDS_ITEM && !this.inKinds(idx)) this.endItem();
    this.previous = idx;
    if (fact & OPENS) this.enter(idx);
    else if (fact & NESTS) this.add();
    else if (opener[idx] !== undefined) this.leave(idx);
    return this.base + this.total + this.prefixes;
  }

  /** A line break that ends a statement ends its keywords' operands. */
  endItem(): void {
    const last = this.keywords.length - 1;
    this.total -= this.keywords[last];
    this.keywords[last] = 0;
  }

  /** The innermost open bracket or brace, if any. */
  inside(): number | undefined {
    return this.open[this.open.length - 1];
  }

  // The comma in `clone pid, mnt` continues the clone expression.
  private inKinds(idx: number): boolean {
    return idx === COMMA && KINDS.has(this.previous);
  }

  // A brace opens a block, and only ever follows a finished expression.
  private enter(idx: number): void {
    if (idx === CURLY) this.endItem();
    this.open.push(idx);
    this.keywords.push(0);
    this.total++;
  }

  private add(): void {
    this.keywords[this.keywords.length - 1]++;
    this.total++;
  }

  // Unbalanced closers are left for the parser to report in context.
  private leave(idx: number): void {
    if (this.inside() !== opener[idx]) return;
    this.open.pop();
    this.total -= 1 + this.keywords.pop()!;
  }
}
