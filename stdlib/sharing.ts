// Which processes of a launch share memory with the process that cloned
// them (CLONE_VM). Copying the page tables of a large Node process, and
// the copy-on-write faults in both processes afterwards, are most of what
// a plain fork-like clone costs; a process that shares nsrepl's memory
// pays neither, and the release gate still works, because nsrepl is not
// suspended as with vfork.
//
// The price, and why some launches cannot pay it:
// - the process runs on nsrepl's own pages, so it must be off the arena
//   before the next launch rewrites it: nsrepl reads the ready pipe to EOF,
//   which comes only once it has exec'd (close-on-exec runs after the new
//   memory is in place) or exited (fds close after the memory is let go);
// - it shares the main thread's errno: nsrepl keeps every signal blocked
//   in that thread for the whole launch, so that no handler saves and
//   restores errno over the process's checked steps;
// - the kernel refuses to move a process whose memory is shared into a
//   user namespace (setns and unshare: EINVAL) or a time namespace (setns:
//   EUSERS); a CLONE_VM child of a process that made a time namespace
//   for its children enters it only when it execs (the clock pages
//   belong to the memory), and kernels before 6.0 refuse that clone
//   (EINVAL) instead;
// - a holder never execs, and would keep the arena for good.

import { release } from "node:os";
import type { Layout } from "./plan.js";

/** Whether the first process (L1 or the program) and L2 share memory. */
export interface Sharing {
  first: boolean;
  second: boolean;
  /** L2 enters its new time namespace at execve, not before. */
  timeAtExec: boolean;
}

/** Decides sharing for a launch laid out as `lay`. */
export function memorySharing(lay: Layout): Sharing {
  if (lay.holder) return { first: false, second: false, timeAtExec: false };
  const movesUser = lay.joinPath && (lay.joins.includes("user") ||
    lay.created.includes("user"));
  const time = lay.created.includes("time");
  // L2 starts after every setns and unshare: it only forks and execs.
  const second = !time || execEntersTime();
  return { first: !movesUser && !lay.joins.includes("time"), second,
    timeAtExec: time && second };
}

let entersAtExec: boolean | undefined;

// execve has moved a process into its time namespace for children since
// Linux 6.0 ("switch timens when a task gets a new mm"); 6.1 to be sure.
export function execEntersTime(): boolean {
  if (entersAtExec === undefined) {
    const [major, minor] = release().split(".").map((n) => parseInt(n));
    entersAtExec = major > 6 || (major === 6 && minor >= 1);
  }
  return entersAtExec;
}
