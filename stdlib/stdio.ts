// The standard streams of a new process: which nsrepl fd becomes its 0, 1
// and 2, and the capture pipe whose read end becomes `Child.output`.

import { closeSync, openSync } from "node:fs";
import { Socket } from "node:net";
import type { Stdio } from "./types.js";
import { dupAbove, isOpen, pipe } from "./libc.js";

/** Where a new process's fds 0, 1 and 2 come from. */
export interface StdioPlan {
  /** The nsrepl fd to dup2 onto 0, 1 and 2. */
  sources: [number, number, number];
  /** Read end of the capture pipe, kept by nsrepl; -1 without capture. */
  captureRead: number;
  /** Its write end, which the child dup2s onto 1 and/or 2. */
  captureWrite: number;
  /** Fds that only the child needs: closed in nsrepl right after clone. */
  childOnly: number[];
}

let devNull = -1;

// One /dev/null for every launch; O_CLOEXEC like every Node fd.
function nullFd(): number {
  if (devNull < 0) devNull = openSync("/dev/null", "r+");
  return devNull;
}

/** Resolves `stdio` into nsrepl fds, opening a capture pipe if asked. */
export function planStdio(stdio: [Stdio, Stdio, Stdio]): StdioPlan {
  const plan: StdioPlan = { sources: [0, 1, 2], captureRead: -1,
    captureWrite: -1, childOnly: [] };
  try {
    stdio.forEach((s, i) => { plan.sources[i] = source(s, i, plan); });
    protectTargets(plan);
  } catch (err) {
    closeStdio(plan);
    throw err;
  }
  return plan;
}

function source(s: Stdio, target: number, plan: StdioPlan): number {
  switch (s.type) {
    case "inherit": return target;
    case "fd": return s.fd;
    case "null": return nullFd();
    case "capture": return captureWrite(target, plan);
  }
}

// stdout and stderr both marked capture share one pipe, as with 2>&1.
function captureWrite(target: number, plan: StdioPlan): number {
  if (target === 0) throw new TypeError("stdin cannot be captured");
  if (plan.captureWrite < 0) {
    [plan.captureRead, plan.captureWrite] = pipe();
    plan.childOnly.push(plan.captureWrite);
  }
  return plan.captureWrite;
}

// The child dup2s sources onto 0, 1, 2 in order; a source that is itself
// one of 0..2 could be overwritten first (say stdout and stderr swapped).
// Giving it a copy numbered 3 or above first makes the order irrelevant.
function protectTargets(plan: StdioPlan): void {
  plan.sources.forEach((fd, i) => {
    if (fd < 3 && fd !== i) {
      plan.sources[i] = dupAbove(fd, 3);
      plan.childOnly.push(plan.sources[i]);
    }
  });
}

/** Closes nsrepl's copies of what only the child needs. */
export function closeChildOnly(plan: StdioPlan): void {
  for (const fd of plan.childOnly) closeSync(fd);
  plan.childOnly = [];
}

/** Closes every fd the plan opened (on a failed launch). */
export function closeStdio(plan: StdioPlan): void {
  closeChildOnly(plan);
  if (plan.captureRead >= 0) closeSync(plan.captureRead);
  plan.captureRead = -1;
}

/** A capture pipe being read; unref'd, it no longer holds nsrepl up. */
export interface Capture {
  text: Promise<string>;
  ref(): void;
  unref(): void;
}

/**
 * Everything written to the capture pipe, once every writer has closed
 * it. A net.Socket reads the pipe on the event loop: an fs stream would
 * park a threadpool worker on each blocking read.
 */
export function readCapture(fd: number): Capture {
  const socket = new Socket({ fd, readable: true, writable: false });
  const text = new Promise<string>((resolve) => {
    const chunks: Buffer[] = [];
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("error", () => socket.destroy());
    socket.on("close", () => resolve(Buffer.concat(chunks).toString()));
  });
  return { text, ref: () => socket.ref(), unref: () => socket.unref() };
}

/**
 * Makes sure fds 0, 1 and 2 are open (on /dev/null if need be). Were one
 * closed, a pipe could get its number, and the child's dup2 onto 0..2
 * would overwrite it.
 */
export function ensureStdFds(): void {
  for (let fd = 0; fd < 3; fd++) {
    if (isOpen(fd)) continue;
    const spare = openSync("/dev/null", "r+");
    if (spare !== fd) closeSync(spare);
  }
}
