// How namespaces() and tree() look on screen: an aligned table like
// lsns's, and indented trees. Each namespace says what keeps it alive.

import type {
  HolderData, NamespaceListValue, NamespaceRowValue, NamespaceTreeValue,
  TreeNodeValue,
} from "../stdlib/inspect-values.js";
import type { MapEntry, NsRecord } from "../stdlib/inspect-scan.js";
import type { Colors } from "./colors.js";
import { stdoutColors } from "./colors.js";

/** One holder in words: `mount /run/netns/blue`, `fd 4242:5 (node)`. */
export function formatHolder(h: HolderData): string {
  switch (h.type) {
    case "processes": return `${processes(h.count)} ` +
      `(pid ${h.pid} ${h.command})`;
    case "mount": return `mount ${h.path}` +
      (h.mnt === null ? "" : ` in mnt:[${h.mnt}]`);
    case "fd": return `fd ${h.pid}:${h.fd} (${h.command})`;
    case "owner": return `owner of ${h.of}`;
    case "parent": return `parent of ${h.of}`;
  }
}

function processes(n: number): string {
  return n === 1 ? "1 process" : `${n} processes`;
}

const HEAD = ["id", "procs", "pid", "owner", "held by"];
const RIGHT = [false, true, true, false];

/** namespaces(): one row per namespace, aligned, holders last. */
export function formatNamespaceTable(
  list: NamespaceListValue, c: Colors = stdoutColors(),
): string {
  if (!list.rows.length) return withHidden(["no namespaces found"], list, c);
  const cells = list.rows.map(rowCells);
  const widths = RIGHT.map((_, i) =>
    Math.max(HEAD[i].length, ...cells.map((r) => r.text[i].length)));
  const line = (text: string[]) => text.slice(0, 4)
    .map((t, i) => RIGHT[i] ? t.padStart(widths[i]) : t.padEnd(widths[i]))
    .join("  ");
  const lines = [c.bold(`${line(HEAD)}  ${HEAD[4]}`)];
  const indent = " ".repeat(line(HEAD).length + 2);

  for (const row of cells) {
    const [first, ...more] = row.heldBy;
    lines.push(`${line(row.text)}  ${first}`.trimEnd());
    for (const m of more) lines.push(indent + m);
  }
  return withHidden(lines, list, c);
}

interface Cells { text: string[]; heldBy: string[] }

function rowCells(row: NamespaceRowValue): Cells {
  const r = row.record;
  const text = [row.id, String(r.pids.length), String(r.pids[0] ?? "-"),
    r.owner === null ? "-" : String(r.owner)];
  return { text, heldBy: heldBy(row, r.command && shorten(r.command)) };
}

const MAX_COMMAND = 40;
const MAX_LISTED = 3;

// The processes and the bind mounts always; open fds only where nothing
// else keeps the namespace (nsrepl's own fds would otherwise repeat on
// every namespace of the host); every holder is in `.holders`.
function heldBy(row: NamespaceRowValue, procs: string | null): string[] {
  const r = row.record;
  const lines: string[] = [];
  if (procs) lines.push(procs);
  const mounts = r.holders.filter((h) => h.type === "mount");
  lines.push(...mounts.map(formatHolder));
  const unmounted = r.names.filter((n) =>
    !mounts.some((m) => m.type === "mount" && m.path === `/run/netns/${n}`));
  lines.push(...unmounted.map((n) => `netns ${n}`));
  if (lines.length) return lines;
  return firstFew(r.holders.map(formatHolder));
}

function shorten(full: string): string {
  const command = ownName(full);
  if (command.length <= MAX_COMMAND) return command;
  return command.slice(0, MAX_COMMAND - 3) + "...";
}

// nsrepl and its helper jobs run as Node (with options of its own, as
// bin/nsrepl gives) with the snapshot or the bundle: in a table they are
// `nsrepl --helper listen 80`, not a column of paths.
function ownName(command: string): string {
  return command
    .replace(/^\S*node (--\S+ )*--snapshot-blob \S*nsrepl\.blob --( |$)/,
      "nsrepl$2")
    .replace(/^\S*node (--\S+ )*\S*nsrepl\.cjs( |$)/, "nsrepl$2");
}

function firstFew(items: string[]): string[] {
  if (!items.length) return ["?"];
  if (items.length <= MAX_LISTED + 1) return items;
  const rest = items.length - MAX_LISTED;
  return [...items.slice(0, MAX_LISTED), `and ${rest} more`];
}

function withHidden(lines: string[],
  v: { hidden: number }, c: Colors): string {
  if (v.hidden) {
    lines.push(c.dim(`(${processes(v.hidden)} hidden from nsrepl: ` +
      "no permission to read /proc/PID/ns)"));
  }
  return lines.join("\n");
}

/** tree(): user namespaces with what they own, then pid namespaces. */
export function formatNamespaceTree(
  tree: NamespaceTreeValue, c: Colors = stdoutColors(),
): string {
  const lines = [c.bold("user namespaces")];
  for (const node of tree.user) nodeLines(node, "", lines, c);
  lines.push("", c.bold("pid namespaces"));
  for (const node of tree.pid) nodeLines(node, "", lines, c);
  return withHidden(lines, tree, c);
}

function nodeLines(node: TreeNodeValue, indent: string, out: string[],
  c: Colors): void {
  const r = node.row.record;
  const creator = r.ownerUid === null ? "" : `, created by uid ${r.ownerUid}`;
  out.push(`${indent}${node.row.id}  ${summary(node.row)}${creator}`);
  const inner = indent + "  ";
  if (r.kind === "user") out.push(inner + mapsText(r, c));
  if (node.owns.length) {
    out.push(...wrap("owns", node.owns.map((ns) => ns.id), inner));
  }
  for (const child of node.children) nodeLines(child, inner, out, c);
}

function summary(row: NamespaceRowValue): string {
  const r = row.record;
  const procs = r.command === null ? null : formatHolder({
    type: "processes", count: r.pids.length, pid: r.pids[0],
    command: shorten(r.command),
  });
  return heldBy(row, procs).join(", ");
}

function mapsText(r: NsRecord, c: Colors): string {
  if (r.uidMap === null && r.gidMap === null) {
    return c.dim("uid_map, gid_map unknown (no process in it to show them)");
  }
  return `uid_map ${mapText(r.uidMap, c)}  gid_map ${mapText(r.gidMap, c)}`;
}

function mapText(map: MapEntry[] | null, c: Colors): string {
  if (map === null) return c.dim("unknown");
  if (!map.length) return c.dim("none yet");
  return map.map((e) => `${e.inside} ${e.outside} ${e.count}`).join(", ");
}

// `owns a b c` broken before 80 columns, later lines under the first id.
function wrap(label: string, words: string[], indent: string): string[] {
  const lines: string[] = [];
  let line = `${indent}${label}`;
  const under = " ".repeat(line.length);
  let empty = true;
  for (const w of words) {
    if (line.length + 1 + w.length > 80 && !empty) {
      lines.push(line);
      line = under;
    }
    line += ` ${w}`;
    empty = false;
  }
  return [...lines, line];
}
