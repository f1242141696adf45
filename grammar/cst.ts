// Reading chevrotain's CST: children sit in arrays under the name of the
// rule or token, so every access names what it expects to find there.

import type { CstNode, IToken } from "chevrotain";

/** The i-th subrule node under `key`; the grammar guarantees it exists. */
export function sub(node: CstNode, key: string, i = 0): CstNode {
  return node.children[key][i] as CstNode;
}

export function maybeSub(node: CstNode, key: string): CstNode | undefined {
  return node.children[key]?.[0] as CstNode | undefined;
}

// Shared by every lookup that finds nothing, so missing children cost no
// allocation; callers only read it.
const NONE: never[] = [];

export function subs(node: CstNode, key: string): CstNode[] {
  return (node.children[key] ?? NONE) as CstNode[];
}

export function tok(node: CstNode, key: string): IToken | undefined {
  return node.children[key]?.[0] as IToken | undefined;
}

export function toks(node: CstNode, key: string): IToken[] {
  return (node.children[key] ?? NONE) as IToken[];
}

/**
 * Which of `keys` a choice rule holds. Looking keys up is far cheaper than
 * enumerating chevrotain's children objects, and this runs per node.
 */
export function pick(node: CstNode, keys: readonly string[]): string {
  const children = node.children;
  for (const key of keys) if (children[key] !== undefined) return key;
  throw new Error(`no child of ${node.name} among ${keys.join(", ")}`);
}

function isToken(child: CstNode | IToken): child is IToken {
  return "image" in child;
}

/**
 * The first token under a CST node. Chevrotain adds children in the order
 * it parses them, so the first key holds the earliest child.
 */
export function firstToken(node: CstNode): IToken {
  let child: CstNode | IToken = node;
  while (!isToken(child)) {
    for (const key in child.children) {
      child = child.children[key][0];
      break;
    }
  }
  return child;
}

/** The last token under a CST node (keys need not be in source order). */
export function lastToken(node: CstNode): IToken {
  let last: IToken | undefined;
  for (const key in node.children) {
    const list = node.children[key];
    const child = list[list.length - 1];
    const token = isToken(child) ? child : lastToken(child);
    if (!last || token.startOffset > last.startOffset) last = token;
  }
  return last!;
}
