// What the REPL adds to node:readline's line editor: Ctrl-R search, and
// the line redrawn in color as it is typed. Both go through the editor's
// underscore methods (_ttyWrite, _refreshLine, _writeToOutput), the same
// hooks Node's own REPL overrides; readline has no public ones for this.

import type { Interface } from "node:readline";
import type { Key, LineEditor } from "./repl-search.js";
import { ReverseSearch } from "./repl-search.js";

export interface KeyOptions {
  /** Colors the line being typed; null when colors are off. */
  highlight: ((line: string) => string) | null;
  /** True while a statement runs: the screen is the program's then. */
  busy: () => boolean;
}

/** Installs search and highlighting on `rl`; returns the search. */
export function installKeys(rl: Interface, opts: KeyOptions): ReverseSearch {
  const editor = rl as unknown as LineEditor;
  const search = new ReverseSearch(editor);
  // A Node whose readline lacks these hooks still gets a working REPL.
  const hooks = [editor._ttyWrite, editor._refreshLine, editor._writeToOutput];
  if (hooks.some((f) => typeof f !== "function")) return search;

  const redraws = countRedraws(editor);
  const redraw = opts.highlight ? redrawer(editor, opts.busy) : () => {};
  const typed = editor._ttyWrite.bind(editor);
  editor._ttyWrite = (s: string | undefined, key: Key = {}) => {
    if (search.key(s, key)) return;
    const [line, drawn] = [editor.line, redraws()];
    typed(s, key);
    if (editor.line !== line && redraws() === drawn) redraw();
  };
  if (opts.highlight) colorLine(editor, opts.highlight);
  return search;
}

/** How many times readline has redrawn the line, as a getter. */
function countRedraws(editor: LineEditor): () => number {
  let count = 0;
  const refresh = editor._refreshLine.bind(editor);
  editor._refreshLine = () => {
    count++;
    refresh();
  };
  return () => count;
}

// readline writes a typed character at the end of the line by itself,
// without redrawing; the colored redraw follows once the input read so
// far (a whole paste) has been handled.
function redrawer(editor: LineEditor, busy: () => boolean): () => void {
  let pending = false;
  return () => {
    if (pending) return;
    pending = true;
    setImmediate(() => {
      pending = false;
      if (!busy() && editor.line) editor._refreshLine();
    });
  };
}

// A redraw writes the prompt and the line in one piece; only that piece
// is colored. readline measures the plain line, so the cursor stays put.
// Colors are a nicety: if painting fails, the line goes out plain.
function colorLine(editor: LineEditor, paint: (line: string) => string) {
  const write = editor._writeToOutput.bind(editor);
  editor._writeToOutput = (s: string) => {
    const prompt = editor.getPrompt();
    if (s !== prompt + editor.line || editor.line === "") return write(s);
    let painted = editor.line;
    try {
      painted = paint(editor.line);
    } catch {
      // keep it plain
    }
    write(prompt + painted);
  };
}
