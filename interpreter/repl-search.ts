// Ctrl-R: incremental search back through the history, as in bash.
// node:readline has none (its up arrow does search by prefix: what is
// typed before pressing it must start the entry). Typing narrows the
// search, Ctrl-R again goes to an older match, Enter runs the match,
// Ctrl-G gives the line back as it was, and any other key keeps the
// match and does what it always does.

/** A key as node:readline decodes it. */
export interface Key {
  name?: string;
  ctrl?: boolean;
  meta?: boolean;
  sequence?: string;
}

/** What the REPL reaches of node:readline's line editor (see repl-keys.ts). */
export interface LineEditor {
  line: string;
  cursor: number;
  history: string[];
  getPrompt(): string;
  setPrompt(prompt: string): void;
  _ttyWrite(s: string | undefined, key: Key): void;
  _refreshLine(): void;
  _writeToOutput(s: string): void;
}

export class ReverseSearch {
  private active = false;
  private query = "";
  /** Index in the history (newest first) of the match shown; -1: none. */
  private at = -1;
  private failed = false;
  private saved = { line: "", cursor: 0, prompt: "" };

  constructor(private rl: LineEditor) {}

  /** Handles a key while searching (or Ctrl-R); false: readline's turn. */
  key(s: string | undefined, key: Key): boolean {
    const ctrl = (name: string) => !!key.ctrl && key.name === name;
    if (!this.active) {
      if (ctrl("r")) this.start();
      return this.active;
    }
    if (ctrl("r")) this.find(this.at + 1);
    else if (ctrl("g")) this.cancel();
    else if (key.name === "backspace") this.narrow(this.query.slice(0, -1));
    else if (printable(s, key)) this.narrow(this.query + s);
    else {
      this.end();
      return false;
    }
    return true;
  }

  /** Leaves the search, keeping the match as the line. */
  end(): void {
    if (!this.active) return;
    this.active = false;
    this.rl.setPrompt(this.saved.prompt);
    this.rl._refreshLine();
  }

  private start(): void {
    const { line, cursor } = this.rl;
    this.saved = { line, cursor, prompt: this.rl.getPrompt() };
    Object.assign(this, { active: true, query: "", at: -1, failed: false });
    this.show();
  }

  private cancel(): void {
    this.rl.line = this.saved.line;
    this.rl.cursor = this.saved.cursor;
    this.end();
  }

  private narrow(query: string): void {
    this.query = query;
    if (query) return this.find(Math.max(this.at, 0));
    this.at = -1;
    this.failed = false;
    this.rl.line = this.saved.line;
    this.rl.cursor = this.saved.cursor;
    this.show();
  }

  private find(from: number): void {
    const history = this.rl.history;
    let i = from;
    while (i < history.length && !history[i].includes(this.query)) i++;
    this.failed = i >= history.length;
    if (!this.failed) {
      this.at = i;
      this.rl.line = history[i];
      this.rl.cursor = history[i].indexOf(this.query);
    }
    this.show();
  }

  private show(): void {
    const failed = this.failed ? "failed " : "";
    this.rl.setPrompt(`(${failed}reverse-i-search)'${this.query}': `);
    this.rl._refreshLine();
  }
}

function printable(s: string | undefined, key: Key): s is string {
  return !!s && s.length === 1 && s >= " " && !key.ctrl && !key.meta;
}
