// `.help errors`: the errors people meet most with namespaces, each with
// the kernel rule behind it and what to do. The words come from
// stdlib/explain.ts, the same text an error itself carries as notes.

import type { ExplainContext } from "../stdlib/explain.js";
import { explain } from "../stdlib/explain.js";
import { errnoNumber } from "../stdlib/errno.js";

interface Case {
  /** How the operation reads in an error message. */
  title: string;
  op: string;
  errno: string;
  context?: ExplainContext;
}

const CASES: Case[] = [
  { title: "setns(user)", op: "setns(user)", errno: "EINVAL" },
  { title: "setns(pid)", op: "setns(pid)", errno: "EINVAL" },
  { title: "setns(net)", op: "setns(net)", errno: "EPERM" },
  { title: "fork into a pid namespace", op: "fork", errno: "ENOMEM",
    context: { kind: "pid" } },
  { title: "clone(user)", op: "clone(user)", errno: "EPERM" },
  { title: "unshare(net)", op: "unshare(net)", errno: "EPERM" },
  { title: "unshare(pid), nested", op: "unshare(pid)", errno: "EINVAL" },
  { title: "clone(user)", op: "clone(user)", errno: "ENOSPC" },
  { title: "mount(proc)", op: "mount(proc)", errno: "EPERM",
    context: { object: "/proc" } },
  { title: "mount", op: "mount", errno: "EINVAL" },
  { title: "write uid_map", op: "write", errno: "EPERM",
    context: { object: "/proc/PID/uid_map" } },
  { title: "execve", op: "execve", errno: "ENOENT" },
];

const WIDTH = 78;

/**
 * Fills `text` into lines of at most WIDTH columns: the first starts
 * with `first`, the others are indented as wide.
 */
export function wrap(text: string, first: string): string[] {
  const indent = " ".repeat(first.length);
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > WIDTH) {
      lines.push(line);
      line = indent + word;
    } else line = line ? `${line} ${word}` : first + word;
  }
  if (line) lines.push(line);
  return lines;
}

function entry(c: Case): string[] {
  const found = explain(c.op, errnoNumber(c.errno) ?? 0, c.context);
  if (!found) return [];
  return [
    `${c.title}: ${c.errno}`,
    ...wrap(found.rule, "  rule: "),
    ...wrap(found.hint, "  do:   "),
  ];
}

/** The errors topic. */
export function errorsHelp(): string {
  const head = "Common errors, and the kernel rules behind them (an error " +
    "shows its rule itself, below the message):";
  const body = CASES.map(entry).filter((e) => e.length).map((e) =>
    e.join("\n"));
  return [...wrap(head, ""), "", body.join("\n\n")].join("\n");
}
