// The words of the language as the REPL's completion and highlighting
// sort them. They mirror grammar/tokens.ts, grouped by where they may
// follow: the grammar's own tables say what a word is, not what may come
// next, which is what a completion needs.

import { KIND_NAMES } from "../stdlib/kinds.js";

/** The namespace statements and the two inspections. */
export const STATEMENTS = [
  "spawn", "clone", "unshare", "setns", "ns", "compare",
];

/** Every other reserved word. */
export const KEYWORDS = [
  "let", "fn", "return", "if", "else", "for", "in", "while", "break",
  "continue", "try", "catch", "expect", "true", "false", "null", "host",
  "and", "or", "not", "contains", "matches",
];

/** Literal values, highlighted like numbers. */
export const LITERALS = ["true", "false", "null"];

/** Kinds as a statement takes them: the kernel's names and two more. */
export const KIND_WORDS = [...KIND_NAMES, "mount", "all"];

/** Options that may follow the kinds (or `spawn`), by statement. */
export const OPTIONS: Record<string, string[]> = {
  clone: [
    "map", "uidmap", "gidmap", "setgroups", "mount", "propagation",
    "hostname", "offset", "capture", "root", "cwd",
  ],
  unshare: [
    "map", "uidmap", "gidmap", "setgroups", "mount", "propagation",
    "hostname", "offset",
  ],
  spawn: ["capture", "root", "cwd"],
  setns: ["mount", "root", "cwd"],
};

/** The words an option takes after it, where they are fixed. */
export const OPTION_VALUES: Record<string, string[]> = {
  map: ["root", "user"],
  mount: ["proc"],
  propagation: ["private", "slave", "shared", "unchanged"],
  setgroups: ["allow", "deny"],
  offset: ["monotonic", "boottime"],
};

/** Every word that is an option or an option's value. */
export const OPTION_WORDS = new Set([
  ...Object.values(OPTIONS).flat(),
  ...Object.values(OPTION_VALUES).flat(),
  "uidmap", "gidmap",
]);
