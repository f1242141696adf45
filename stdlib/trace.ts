// A strace-like account of what each launch asked the kernel, for
// `--verbose`: the calls nsrepl made itself, and each checked step of the
// child's call chain with the errno it reported.

import type { Report } from "./chain.js";
import { KINDS } from "./kinds.js";
import { errnoName } from "./errno.js";

let sink: ((line: string) => void) | null = null;

/** Sends every traced call to `to` (null stops tracing). */
export function setTrace(to: ((line: string) => void) | null): void {
  sink = to;
}

/** Traces one call made by process `pid`. */
export function trace(pid: number, call: string, result: string): void {
  sink?.(`[${pid}] ${call} = ${result}`);
}

/** Traces each step of a report as the child made it. */
export function traceReport(pid: number, buf: Buffer, report: Report,
  upTo = report.steps.length) {
  if (!sink) return;
  // After the first failure the later slots may be stale: stop there.
  for (const [i, step] of report.steps.slice(0, upTo).entries()) {
    const errno = buf.readUInt32LE(4 + 4 * i);
    const call = step.object ? `${step.op} ${step.object}` : step.op;
    trace(pid, call, errno ? `-1 ${errnoName(errno)}` : "0");
    if (errno) break;
  }
}

const CLONE_NAMES: [number, string][] = [
  ...KINDS.map((k): [number, string] =>
    [k.flag, `CLONE_NEW${k.name === "mnt" ? "NS" : k.name.toUpperCase()}`]),
  [0x1000, "CLONE_PIDFD"],
];

/** `flags` as `CLONE_NEWPID|CLONE_PIDFD|SIGCHLD`. */
export function cloneFlagNames(flags: number): string {
  let names = flagNames.get(flags);
  if (names === undefined) {
    names = namesOf(flags);
    flagNames.set(flags, names);
  }
  return names;
}

// The launcher names its clone flags for the trace at every launch, traced
// or not; a script uses a few combinations, so each is spelled once.
const flagNames = new Map<number, string>();

function namesOf(flags: number): string {
  const names = CLONE_NAMES.filter(([f]) => (flags & f) === f)
    .map(([, n]) => n);
  if ((flags & 0xff) === 17) names.push("SIGCHLD");
  return names.join("|");
}
