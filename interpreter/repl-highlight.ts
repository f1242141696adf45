// Colors for the line being typed: statements, keywords, strings, numbers,
// and namespace kinds and options where a statement takes them (`net` is
// a kind after `clone`, and just a name in `let net = 1`).

import type { Colors } from "./colors.js";
import type { Lexeme } from "./repl-lex.js";
import { lex } from "./repl-lex.js";
import {
  KEYWORDS, KIND_WORDS, LITERALS, OPTION_WORDS, STATEMENTS,
} from "./repl-words.js";

type Paint = (text: string) => string;

// Statements after which kinds and options may come.
const CLAUSES = new Set(["spawn", "clone", "unshare", "setns"]);
// An option whose value is a string: the clause goes on after it.
const STRING_OPTIONS = new Set(["hostname", "cwd", "root"]);
// Punctuation that ends a statement's kinds and options.
const CLAUSE_ENDS = new Set(["{", "}", ";", "(", ")", "&", "=", "["]);

/** `text` from offset `from` on, colored; the earlier text is context. */
export function highlight(text: string, from: number, c: Colors): string {
  const paint = painter(text, c);
  let out = "";
  for (const l of lex(text)) {
    if (l.end <= from) {
      paint(l);
      continue;
    }
    const piece = text.slice(Math.max(l.start, from), l.end);
    const color = paint(l);
    out += color ? color(piece) : piece;
  }
  return out;
}

// Walks the lexemes in order, keeping what it needs to know of the
// statement so far; returns how to color each one.
function painter(text: string, c: Colors) {
  let clause = false;
  let previous = "";
  return (l: Lexeme): Paint | null => {
    const word = text.slice(l.start, l.end);
    const after = previous;
    if (l.kind !== "space" && l.kind !== "comment") previous = word;
    if (l.kind === "word") {
      const color = wordColor(word, after, clause, c);
      if (CLAUSES.has(word) && after !== ".") clause = true;
      return color;
    }
    if (endsClause(l, word, after)) clause = false;
    return OTHER[l.kind]?.(word, c) ?? null;
  };
}

function wordColor(word: string, after: string, clause: boolean,
  c: Colors): Paint | null {
  if (after === ".") return null;
  if (STATEMENTS.includes(word)) return (s) => c.bold(c.magenta(s));
  if (LITERALS.includes(word)) return c.yellow;
  if (word === "host") return c.cyan;
  if (KEYWORDS.includes(word)) return c.magenta;
  if (clause && KIND_WORDS.includes(word)) return c.cyan;
  if (clause && OPTION_WORDS.has(word)) return c.blue;
  return null;
}

function endsClause(l: Lexeme, word: string, after: string): boolean {
  if (l.kind === "string") return !STRING_OPTIONS.has(after);
  if (l.kind === "space") return word.includes("\n");
  return l.kind === "punct" && CLAUSE_ENDS.has(word);
}

const OTHER: Partial<Record<Lexeme["kind"], (t: string, c: Colors) =>
  Paint | null>> = {
  number: (_t, c) => c.yellow,
  string: (_t, c) => c.green,
  interp: (_t, c) => c.dim,
  comment: (_t, c) => c.gray,
  punct: (t, c) => (t === "&" ? c.bold : null),
};
