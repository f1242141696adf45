// What the REPL shows after an entry: the value of a final expression,
// namespace sets and comparisons as tables, and for a program only how
// it ended, and only when that is news.

import type { Outcome } from "./driver.js";
import { stdoutColors } from "./colors.js";
import {
  ComparisonValue, NamespaceSetValue, ObjectValue, ProcessValue, inspect,
} from "./values.js";
import type { Value } from "./values.js";
import { formatComparison, formatNamespaceSet } from "./format.js";
import { exitNote } from "./terminal.js";

/** The text to show for an entry that ran; null for nothing. */
export function echo(
  { value, statement }: Outcome, stopped: (p: ProcessValue) => boolean,
): string | null {
  if (statement === "Spawn" || statement === "Clone") {
    if (!(value instanceof ProcessValue) || stopped(value)) return null;
    return processNote(value);
  }
  if (statement === "Unshare" || statement === "Setns") return null;
  return show(value);
}

function show(value: Value): string | null {
  if (value === null) return null;
  if (value instanceof NamespaceSetValue) return formatNamespaceSet(value);
  if (value instanceof ComparisonValue) return formatComparison(value);
  return value instanceof ObjectValue ? String(value) : inspect(value);
}

function processNote(p: ProcessValue): string | null {
  if (p.running) {
    return stdoutColors().dim(`[${p.command ? "background" : "holder"}, pid ${p.pid}]`);
  }
  if (p.failure) return null;
  const note = exitNote(p);
  return note && stdoutColors().dim(note);
}
