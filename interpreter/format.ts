// How namespace sets and comparisons look on screen: aligned columns, the
// kernel's own `kind:[inode]` names, and shared/isolated marked in color
// where the terminal takes it.

import { KIND_NAMES } from "../stdlib/kinds.js";
import type { Colors } from "./colors.js";
import { stdoutColors } from "./colors.js";
import type { ComparisonValue, NamespaceSetValue } from "./values.js";

/** `ns TARGET`: one line per kind, as /proc/PID/ns shows it. */
export function formatNamespaceSet(
  set: NamespaceSetValue, c: Colors = stdoutColors,
): string {
  const lines = [c.bold(set.label)];
  for (const kind of KIND_NAMES) {
    const ns = set.kinds[kind];
    lines.push(`  ${kind.padEnd(7)}${ns ? ns.id : c.dim("(not visible)")}`);
  }
  return lines.join("\n");
}

/** `compare A, B`: both sets side by side, each kind shared or isolated. */
export function formatComparison(
  cmp: ComparisonValue, c: Colors = stdoutColors,
): string {
  const width = Math.max(24, cmp.a.label.length + 2);
  const header = `  ${"kind".padEnd(7)}${cmp.a.label.padEnd(width)}` +
    `${cmp.b.label.padEnd(width)}`;
  const lines = [c.bold(header.trimEnd())];

  for (const kind of KIND_NAMES) {
    const a = cmp.a.kinds[kind]?.id ?? "?";
    const b = cmp.b.kinds[kind]?.id ?? "?";
    const mark = cmp.isShared(kind) ? c.green("shared") : c.yellow("isolated");
    lines.push(`  ${kind.padEnd(7)}${a.padEnd(width)}${b.padEnd(width)}${mark}`);
  }
  return lines.join("\n");
}
