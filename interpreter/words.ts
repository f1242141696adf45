// Commands given as strings are split into argv words the way a shell
// splits them (quotes group, backslash escapes) but no shell runs: no
// globbing, no variables, no operators. Values interpolated with ${} are
// inserted as text of the current word and never re-split or unquoted, so
// a value from a script cannot smuggle in extra arguments.

/** Literal command text from the source, or an interpolated value. */
export interface Piece {
  text: string;
  fromValue: boolean;
}

export class WordError extends Error {}

type Quote = "none" | "single" | "double";

class Splitter {
  words: string[] = [];
  private word = "";
  private inWord = false;
  quote: Quote = "none";
  private escaped = false;

  value(text: string): void {
    this.word += text;
    this.inWord = true;
  }

  literal(text: string): void {
    for (const ch of text) this.char(ch);
  }

  finish(): string[] {
    if (this.quote !== "none") {
      const q = this.quote === "single" ? "'" : '"';
      throw new WordError(`unclosed ${q} in command`);
    }
    if (this.escaped) this.word += "\\";
    this.end();
    return this.words;
  }

  private char(ch: string): void {
    if (this.escaped) return this.escape(ch);
    if (this.quote === "single") return this.inSingle(ch);
    if (this.quote === "double") return this.inDouble(ch);
    this.bare(ch);
  }

  private escape(ch: string): void {
    this.escaped = false;
    // Inside double quotes a backslash only escapes what the shell lets it.
    if (this.quote === "double" && !'"\\$`'.includes(ch)) this.word += "\\";
    this.value(ch);
  }

  private inSingle(ch: string): void {
    if (ch === "'") this.quote = "none";
    else this.word += ch;
  }

  private inDouble(ch: string): void {
    if (ch === '"') this.quote = "none";
    else if (ch === "\\") this.escaped = true;
    else this.word += ch;
  }

  private bare(ch: string): void {
    if (ch === " " || ch === "\t" || ch === "\n") return this.end();
    this.inWord = true;
    if (ch === "'") this.quote = "single";
    else if (ch === '"') this.quote = "double";
    else if (ch === "\\") this.escaped = true;
    else this.word += ch;
  }

  private end(): void {
    if (this.inWord) this.words.push(this.word);
    this.word = "";
    this.inWord = false;
  }
}

/** Splits command text into argv words; throws WordError on bad quoting. */
export function splitWords(pieces: Piece[]): string[] {
  const s = new Splitter();
  for (const piece of pieces) {
    if (piece.fromValue) s.value(piece.text);
    else s.literal(piece.text);
  }
  return s.finish();
}
