// The one place that turns an error into text for a person:
//
//   demo.ns:3:7: error: expected a name after 'let', found '='
//     let = 3
//         ^
//
// Locations are data on the error; this module only formats them.

import type { Loc } from "../grammar/ast.js";
import type { Colors } from "./colors.js";

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

  const shown = text.replace(/\t/g, " ");
  const caret = " ".repeat(Math.max(0, loc.column - 1)) + "^";
  return [`  ${shown}`, `  ${c.green(caret)}`];
}
