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
//   EUSERS), and puts no CLONE_VM child into its parent's new time
//   namespace for children (the clock pages belong to the memory);
// - a holder never execs, and would keep the arena for good.

import type { Layout } from "./plan.js";

/** Whether the first process (L1 or the program) and L2 share memory. */
export interface Sharing {
  first: boolean;
  second: boolean;
}

/** Decides sharing for a launch laid out as `lay`. */
export function memorySharing(lay: Layout): Sharing {
  if (lay.holder) return { first: false, second: false };
  const movesUser = lay.joinPath && (lay.joins.includes("user") ||
    lay.created.includes("user"));
  // L2 starts after every setns and unshare; only a time namespace made
  // for children needs it to have memory of its own.
  return { first: !movesUser && !lay.joins.includes("time"),
    second: !lay.created.includes("time") };
}
