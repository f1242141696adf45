// The init of a pid namespace gets from outside only the signals it has
// a handler for, and SIGKILL and SIGSTOP: the kernel drops the rest. So
// `p.kill()` of `clone pid "sleep 60" &` sends SIGTERM that never
// arrives, and Ctrl-C does nothing to `clone pid "sleep 60"`; this says
// so where it happens.

import { readFileSync } from "node:fs";
import { constants } from "node:os";

/** Why `signal` sent to `pid` is dropped by the kernel, or null. */
export function droppedByInit(pid: number,
  signal: NodeJS.Signals | number): string | null {
  if (!initDrops(pid, signal)) return null;
  const name = typeof signal === "string" ? signal : `signal ${signal}`;
  return `process ${pid} is PID 1 of its pid namespace and has no ` +
    `handler for ${name}, so the kernel drops it`;
}

/**
 * Whether the kernel drops `signal` sent to `pid` from an ancestor pid
 * namespace, because `pid` is an init without a handler for it.
 */
export function initDrops(pid: number,
  signal: NodeJS.Signals | number): boolean {
  const number = typeof signal === "number" ? signal
    : constants.signals[signal];
  if (!number || number === constants.signals.SIGKILL ||
    number === constants.signals.SIGSTOP) return false;
  const status = readStatus(pid);
  if (!status || !isInit(status) || catches(status, number)) return false;
  // A program that ignores the signal would ignore it anywhere: that is
  // its choice (an interactive shell's SIGTSTP), not the kernel's rule.
  return !ignores(status, number);
}

/** Whether `pid` is stopped by a signal (state T in /proc/PID/stat). */
export function isStopped(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "latin1");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] === "T";
  } catch {
    return false;
  }
}

/** Whether `pid` is the init (PID 1) of a pid namespace below nsrepl's. */
export function isPidNamespaceInit(pid: number): boolean {
  const status = readStatus(pid);
  return status !== null && isInit(status);
}

function readStatus(pid: number): string | null {
  try {
    return readFileSync(`/proc/${pid}/status`, "utf8");
  } catch {
    return null;
  }
}

// NSpid lists the pid in each pid namespace, outermost first.
function isInit(status: string): boolean {
  const ids = /^NSpid:\s+(.*)$/m.exec(status)?.[1].trim().split(/\s+/);
  return !!ids && ids.length > 1 && ids.at(-1) === "1";
}

// SigCgt: the signals with a handler, bit N-1 for signal N.
function catches(status: string, signal: number): boolean {
  return inMask(status, "SigCgt", signal);
}

function ignores(status: string, signal: number): boolean {
  return inMask(status, "SigIgn", signal);
}

function inMask(status: string, field: string, signal: number): boolean {
  const mask = new RegExp(`^${field}:\\s+([0-9a-f]+)$`, "m").exec(status)?.[1];
  return !!mask && ((BigInt(`0x${mask}`) >> BigInt(signal - 1)) & 1n) === 1n;
}
