// A forgiving scanner for the line being typed, for highlighting and
// completion. Unlike the grammar's scanner it never fails: half a string,
// half a `${...}`, a stray character are all normal while typing. It only
// marks where things are; what a word means is for its callers.

export type LexKind =
  | "space" | "comment" | "word" | "number" | "string" | "interp" | "punct";

export interface Lexeme {
  kind: LexKind;
  start: number;
  end: number;
  /** A string the input ends inside of. */
  open?: boolean;
  /** For a string piece: where its opening quote is. */
  quoteAt?: number;
}

const isBlank = (c: string) => /[ \t\f\r\n\uFEFF]/.test(c);
const isDigit = (c: string) => c >= "0" && c <= "9";
const isWordStart = (c: string) => /[A-Za-z_]/.test(c);
const isWordPart = (c: string) => /[A-Za-z0-9_]/.test(c);

/** Splits `text` into lexemes that cover it end to end. */
export function lex(text: string): Lexeme[] {
  const lexer = new Lexer(text);
  lexer.code(false);
  return lexer.out;
}

class Lexer {
  readonly out: Lexeme[] = [];
  private i = 0;

  constructor(private text: string) {}

  /** Code up to the end, or up to the `}` closing a `${`: true if found. */
  code(inside: boolean): boolean {
    let depth = 0;
    while (this.i < this.text.length) {
      const c = this.text[this.i];
      if (inside && c === "}" && depth-- === 0) return true;
      if (inside && c === "{") depth++;
      this.token(c);
    }
    return false;
  }

  private token(c: string): void {
    if (isBlank(c)) return this.run("space", isBlank);
    if (c === "#") return this.run("comment", (x) => x !== "\n");
    if (c === '"' || c === "'") return this.string(c);
    if (isDigit(c)) return this.run("number", (x) => isDigit(x) || x === ".");
    if (isWordStart(c)) return this.run("word", isWordPart);
    this.push("punct", this.i, ++this.i);
  }

  private run(kind: LexKind, more: (c: string) => boolean): void {
    const start = this.i++;
    while (this.i < this.text.length && more(this.text[this.i])) this.i++;
    this.push(kind, start, this.i);
  }

  private string(quote: string): void {
    const quoteAt = this.i;
    let from = this.i++;
    while (this.i < this.text.length) {
      const c = this.text[this.i];
      if (c === "\\") this.i += 2;
      else if (c === quote) return this.piece(from, ++this.i, quoteAt, false);
      else if (quote === '"' && this.text.startsWith("${", this.i)) {
        this.piece(from, this.i, quoteAt, false);
        if (!this.interpolation()) return;
        from = this.i;
      } else this.i++;
    }
    this.i = Math.min(this.i, this.text.length);
    this.piece(from, this.i, quoteAt, true);
  }

  /** `${ code }`; false when the input ends inside it. */
  private interpolation(): boolean {
    this.push("interp", this.i, (this.i += 2));
    if (!this.code(true)) return false;
    this.push("interp", this.i, ++this.i);
    return true;
  }

  private piece(start: number, end: number, quoteAt: number, open: boolean) {
    if (end === start && !open) return;
    this.out.push({ kind: "string", start, end, open, quoteAt });
  }

  private push(kind: LexKind, start: number, end: number): void {
    this.out.push({ kind, start, end });
  }
}

/** The lexemes that carry meaning: no blanks, no comments. */
export function significant(lexemes: Lexeme[]): Lexeme[] {
  return lexemes.filter((l) => l.kind !== "space" && l.kind !== "comment");
}

/**
 * Whether `text` ends inside a bracket: the lines that follow belong to
 * it, blank ones too (a pasted function body). Not inside a string: a
 * quote left open is more often forgotten than meant to span a blank
 * line, and a blank line then reports it.
 */
export function endsOpen(text: string): boolean {
  let depth = 0;
  for (const l of lex(text)) {
    if (l.open) return false;
    const c = text.slice(l.start, l.end);
    if (l.kind === "interp") depth += c === "${" ? 1 : -1;
    if (l.kind !== "punct") continue;
    if ("{[(".includes(c)) depth++;
    if ("}])".includes(c)) depth--;
  }
  return depth > 0;
}
