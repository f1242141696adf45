// Scans string literals for the lexer. A regular expression cannot find
// where "${f("}")}" ends, because a `${` part holds code with its own
// braces and strings; this scanner keeps a stack of what it is inside.
// It also decodes escapes on the way, so the text is read only once.

import type { Expr } from "./ast.js";

/** The code inside one `${...}`, as offsets relative to the token start. */
export interface Slice {
  start: number;
  end: number;
}

/** What the lexer attaches to each string token. */
export interface StringPayload {
  /** Decoded literal text and `${}` slices in source order. */
  parts: (string | Slice)[];
  terminated: boolean;
  /** The `${}` parts as parsed expressions, filled in before parsing. */
  exprs?: Expr[];
}

type Match = [string] & { payload: StringPayload };

const DOUBLE_ESCAPES: Record<string, string> = {
  '"': '"', "\\": "\\", n: "\n", t: "\t", r: "\r", $: "$", e: "\x1b",
};

/** Chevrotain custom pattern: a single- or double-quoted string. */
export function matchString(text: string, offset: number): Match | null {
  const quote = text[offset];
  if (quote === '"') return scanDouble(text, offset);
  if (quote === "'") return scanSingle(text, offset);
  return null;
}

function result(text: string, offset: number, end: number,
  parts: (string | Slice)[], terminated: boolean): Match {
  const match = [text.slice(offset, end)] as Match;
  match.payload = { parts, terminated };
  return match;
}

// Single quotes are raw: only \' and \\ mean something, so regular
// expressions and shell snippets can be written as they are.
function scanSingle(text: string, offset: number): Match {
  let value = "";
  let run = offset + 1;
  for (let i = run; i < text.length; i++) {
    const c = text[i];
    if (c === "'") {
      value += text.slice(run, i);
      return result(text, offset, i + 1, [value], true);
    }
    if (c === "\\" && (text[i + 1] === "'" || text[i + 1] === "\\")) {
      value += text.slice(run, i) + text[i + 1];
      run = ++i + 1;
    }
  }
  return result(text, offset, text.length, [value], false);
}

function scanDouble(text: string, offset: number): Match {
  const parts: (string | Slice)[] = [];
  let value = "";
  let run = offset + 1;
  let i = run;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      flush(parts, value + text.slice(run, i));
      return result(text, offset, i + 1, parts, true);
    }
    if (c === "\\") {
      value += text.slice(run, i) + decodeEscape(text[i + 1]);
      i += 2;
      run = i;
    } else if (c === "$" && text[i + 1] === "{") {
      flush(parts, value + text.slice(run, i));
      value = "";
      const end = skipCode(text, i + 2);
      if (end < 0) break;
      parts.push({ start: i + 2 - offset, end: end - offset });
      i = run = end + 1;
    } else {
      i++;
    }
  }
  return result(text, offset, text.length, parts, false);
}

// An unknown escape such as \d stays as written, backslash included, so a
// regular expression survives being put in double quotes.
function decodeEscape(c: string | undefined): string {
  if (c === undefined) return "\\";
  return DOUBLE_ESCAPES[c] ?? "\\" + c;
}

function flush(parts: (string | Slice)[], value: string): void {
  if (value !== "") parts.push(value);
}

/**
 * Finds the `}` that closes a `${` whose code starts at `from`, or -1.
 * Iterative with an explicit stack, so deep nesting cannot overflow the
 * JavaScript stack; the parser limits the depth afterwards.
 */
function skipCode(text: string, from: number): number {
  const stack: string[] = ["{"];
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    const top = stack[stack.length - 1];
    if (top === '"' || top === "'") {
      if (c === "\\") i++;
      else if (c === top) stack.pop();
      else if (top === '"' && c === "$" && text[i + 1] === "{") {
        stack.push("{");
        i++;
      }
    } else if (c === "{" || c === '"' || c === "'") {
      stack.push(c);
    } else if (c === "}") {
      stack.pop();
      if (stack.length === 0) return i;
    }
  }
  return -1;
}
