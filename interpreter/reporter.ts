// The one place that turns an error into text for a person:
//
//   demo.ns:3:7: error: expected a name after 'let', found '='
//     let = 3
//         ^
//
// Locations are data on the error; this module only formats them.

import type { Loc } from "../grammar/ast.js";
import type { Colors } from "./colors.js";

/**
 * The text a location points into, and the name it is reported under.
 * A REPL entry is one; a function keeps the one it was defined in.
 */
export interface Origin {
  file: string;
  source: string;
}

export interface Diagnostic {
  severity: "error" | "warning" | "note";
  message: string;
  file: string;
  loc: Loc | null;
  /** Extra lines printed under the caret: the kernel rule, a fix. */
  notes?: string[];
}

/** Formats a diagnostic against the source it points into. */
export function format(d: Diagnostic, source: string, c: Colors): string {
  const where = d.loc ? `${d.file}:${d.loc.line}:${d.loc.column}` : d.file;
  const label = severityLabel(d.severity, c);
  const lines = [`${c.bold(where)}: ${label}: ${d.message}`];

  if (d.loc) lines.push(...excerpt(source, d.loc, c));
  for (const note of d.notes ?? []) lines.push(`  ${c.cyan("note")}: ${note}`);
  return lines.join("\n");
}

function severityLabel(severity: Diagnostic["severity"], c: Colors): string {
  if (severity === "error") return c.red(c.bold("error"));
  if (severity === "warning") return c.yellow(c.bold("warning"));
  return c.cyan("note");
}

/** The source line of `loc` and a caret under its column. */
function excerpt(source: string, loc: Loc, c: Colors): string[] {
  const text = source.split("\n")[loc.line - 1];
  if (text === undefined) return [];

  const { shown, column } = window(text.replace(/\t/g, " "), loc.column);
  const caret = " ".repeat(Math.max(0, column - 1)) + "^";
  return [`  ${shown}`, `  ${c.green(caret)}`];
}

const WIDTH = 76;

// A generated or minified line can be megabytes long: show the part
// around the column, marked as cut, so the caret still lands.
function window(text: string, column: number) {
  if (text.length <= WIDTH) return { shown: text, column };
  const start = Math.max(0, Math.min(column - WIDTH / 2, text.length - WIDTH));
  const head = start > 0 ? "…" : "";
  const tail = start + WIDTH < text.length ? "…" : "";
  const shown = head + text.slice(start, start + WIDTH) + tail;
  return { shown, column: column - start + head.length };
}
