// A new process that cannot share nsrepl's memory (sharing.ts: it moves
// into a user or time namespace, or is a holder) gets a copy of it, and
// copying the page tables of a Node process is most of what such a launch
// costs: about 0.5 ms to clone, more again to tear the copy down at
// execve. Yet the process touches almost none of it: its call chain runs
// on the arena, its thread area is a mapping of its own (libc.ts), and it
// calls only into libc. So for the moment of the clone everything else is
// marked MADV_DONTFORK, and the child starts with a few small mappings.
//
// What is kept: libc and the dynamic loader (code, data, GOT, the .bss
// after them), the vdso, the thread areas and the arena. All else is
// advised in the few ranges between those, holes and all: madvise applies
// its advice to every mapping in a range and merely reports the holes.
// Afterwards the ranges are advised DOFORK again, which also clears the
// mark V8 puts on its heap pages when it maps them (telling which pages
// had it would mean reading /proc/self/smaps, slower than the whole
// launch). What that costs: a fork that copies nsrepl's memory anyway
// (libuv's, for child_process) copies those pages' tables too. Every
// fork of nsrepl's own goes through here.

import { readFileSync } from "node:fs";
import { adviseRange, threadAreaRanges } from "./libc.js";

const MADV_DOFORK = 11;
const MADV_DONTFORK = 10;
// The top of the x86-64 user address space (47 bits), page-aligned.
const USER_TOP = 0x7ffffffff000;
const KEEP_FILES = /\/(libc\.so\.6|ld-linux-x86-64\.so\.2)$/;
const KEEP_SPECIAL = /^\[(vdso|vvar|vvar_vclock|vsyscall)\]$/;

let fixed: Array<[number, number]> | null = null;

// libc, the loader and the vdso never move: read once. A library's .bss
// may go on past its file in an anonymous mapping right after it.
function fixedRanges(): Array<[number, number]> {
  if (fixed) return fixed;
  fixed = [];
  let libraryEnd = -1;
  for (const line of readFileSync("/proc/self/maps", "latin1").split("\n")) {
    const m = /^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (!m) continue;
    const [start, end] = [parseInt(m[1], 16), parseInt(m[2], 16)];
    const library = KEEP_FILES.test(m[3]);
    const bss = m[3] === "" && start === libraryEnd;
    libraryEnd = library ? end : -1;
    if (library || bss || KEEP_SPECIAL.test(m[3])) fixed.push([start, end]);
  }
  if (!fixed.some(([s]) => s > 0)) throw new Error("libc.so.6 is not mapped");
  return fixed;
}

/** The ranges to mark: everything but `keep`, by whole pages. */
function gaps(keep: Array<[number, number]>): Array<[number, number]> {
  const sorted = [...fixedRanges(), ...keep]
    .map(([s, e]): [number, number] => [pageDown(s), pageUp(e)])
    .sort((a, b) => a[0] - b[0]);
  const out: Array<[number, number]> = [];
  let at = 0x1000;
  for (const [start, end] of sorted) {
    if (start > at) out.push([at, Math.min(start, USER_TOP)]);
    at = Math.max(at, end);
  }
  if (at < USER_TOP) out.push([at, USER_TOP]);
  return out;
}

const pageDown = (a: number) => Math.floor(a / 4096) * 4096;
const pageUp = (a: number) => Math.ceil(a / 4096) * 4096;

/**
 * Runs `f` (which clones) with all of nsrepl's memory but libc, the
 * loader, the vdso, the thread area and `keep` left out of any copy.
 */
export function withSmallFork<T>(keep: Array<[number, number]>,
  f: () => T): T {
  const ranges = gaps([...keep, ...threadAreaRanges()]);
  for (const [start, end] of ranges) adviseRange(start, end, MADV_DONTFORK);
  try {
    return f();
  } finally {
    for (const [start, end] of ranges) adviseRange(start, end, MADV_DOFORK);
  }
}
