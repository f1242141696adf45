// How namespace sets and comparisons look on screen: aligned columns, the
// kernel's own `kind:[inode]` names, and what differs marked in color
// where the terminal takes it. Columns are padded before they are colored:
// escape codes have no width on screen but would count in padEnd.

import { KIND_NAMES } from "../stdlib/kinds.js";
import type { KindName } from "../stdlib/kinds.js";
import { ownNamespaces } from "../stdlib/nsfiles.js";
import type { Colors } from "./colors.js";
import { stdoutColors } from "./colors.js";
import type { ComparisonValue, NamespaceSetValue } from "./values.js";

const KIND_WIDTH = Math.max(...KIND_NAMES.map((k) => k.length)) + 2;
const HIDDEN = "(not visible)";

/** `ns TARGET`: one line per kind, the kinds not on host's marked. */
export function formatNamespaceSet(
  set: NamespaceSetValue, c: Colors = stdoutColors(),
  host: (kind: KindName) => number = hostInode,
): string {
  const ids = KIND_NAMES.map((k) => set.kinds[k]?.id ?? HIDDEN);
  const width = widest(ids);
  const lines = [c.bold(set.label)];
  KIND_NAMES.forEach((kind, i) => {
    const ns = set.kinds[kind];
    const apart = ns !== null && ns.inode !== host(kind);
    const id = ids[i].padEnd(width);
    const shown = ns === null ? c.dim(id) : apart ? c.yellow(id) : id;
    const mark = apart ? c.yellow("not host's") : "";
    lines.push(`  ${kind.padEnd(KIND_WIDTH)}${shown}${mark}`.trimEnd());
  });
  return lines.join("\n");
}

/** `compare A, B`: both sets side by side, each kind shared or isolated. */
export function formatComparison(
  cmp: ComparisonValue, c: Colors = stdoutColors(),
): string {
  const column = (set: NamespaceSetValue) =>
    KIND_NAMES.map((k) => set.kinds[k]?.id ?? "?");
  const [a, b] = [column(cmp.a), column(cmp.b)];
  // The right label ends the header line: only what sits under it pads.
  const width = widest([...a, ...b, cmp.a.label]);
  const header = `  ${"kind".padEnd(KIND_WIDTH)}` +
    `${cmp.a.label.padEnd(width)}${cmp.b.label}`;
  const lines = [c.bold(header)];

  KIND_NAMES.forEach((kind, i) => {
    const shared = cmp.isShared(kind);
    const known = a[i] !== "?" && b[i] !== "?";
    const right = b[i].padEnd(width);
    const mark = shared ? c.green("shared")
      : known ? c.yellow("isolated") : c.dim("unknown");
    lines.push(`  ${kind.padEnd(KIND_WIDTH)}${a[i].padEnd(width)}` +
      `${shared || !known ? right : c.yellow(right)}${mark}`);
  });
  return lines.join("\n");
}

function widest(texts: string[]): number {
  return Math.max(...texts.map((t) => t.length)) + 3;
}

function hostInode(kind: KindName): number {
  return ownNamespaces()[kind].inode;
}
