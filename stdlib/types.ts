// The contract between the interpreter and the process launcher: what a
// new process must look like, and what the caller gets back.

import type { KindName, Propagation } from "../grammar/ast.js";

/** An open namespace file (`/proc/PID/ns/KIND`): the kernel's handle. */
export interface NsHandle {
  kind: KindName;
  /** O_RDONLY|O_CLOEXEC descriptor owned by whoever opened it. */
  fd: number;
  /** The namespace's inode number, as in `net:[4026531840]`. */
  inode: number;
  /** Where it was opened from, for error messages. */
  path: string;
}

/** One uid_map or gid_map line. */
export interface MapEntry { inside: number; outside: number; count: number }

export interface IdMaps {
  uid: MapEntry[];
  gid: MapEntry[];
  /**
   * What to write to /proc/PID/setgroups before gid_map. An unprivileged
   * writer must deny setgroups or the kernel refuses the gid map.
   */
  setgroups: "deny" | "allow";
}

/** Clock offsets of a new time namespace, in whole seconds. */
export type TimeOffsets = Partial<Record<"monotonic" | "boottime", number>>;

/** A standard stream of the new process. */
export type Stdio =
  | { type: "inherit" }
  | { type: "fd"; fd: number }
  /** A pipe whose read end the caller reads (`Child.output`). */
  | { type: "capture" }
  | { type: "null" };

export interface LaunchSpec {
  /** Program and arguments; null starts a holder that only waits. */
  argv: string[] | null;
  /** Environment as NAME=value strings. */
  env: string[];
  /** chdir here (after `root`); relative to the process's working dir. */
  cwd: string | null;
  /**
   * chroot here before anything is mounted and before `cwd`, like
   * `nsenter --root`: resolved in the process's own mount namespace.
   * With no `cwd`, the working directory becomes the new root.
   */
  root?: string | null;
  /**
   * Namespaces to enter before anything else, user first. Only the kinds
   * that differ from nsrepl's own; for pid and time the handle names the
   * namespace the new process itself must end up in.
   */
  join: Partial<Record<KindName, NsHandle>>;
  /** Kinds created fresh for the new process, after joining. */
  create: KindName[];
  /**
   * pid or time namespaces created for the new process's future children
   * only (a session holder after `unshare pid`): the process itself stays
   * where it was, as after unshare(2).
   */
  createForChildren: KindName[];
  /** Written by the parent before the program runs; needs `user` created. */
  maps: IdMaps | null;
  /** Mount a fresh /proc; the process must be in a new mnt namespace. */
  mountProc: boolean;
  /** Applied recursively to / when a mount namespace is created. */
  propagation: Propagation;
  hostname: string | null;
  /**
   * Seconds a created time namespace's clocks run ahead (negative: behind)
   * of the host's, written to timens_offsets before any process enters it.
   */
  timeOffsets?: TimeOffsets | null;
  stdio: [Stdio, Stdio, Stdio];
  /**
   * Hand the program the terminal `tty`, on which nsrepl's process group
   * is in the foreground: the program leads a process group of its own,
   * made the terminal's foreground group before it is released, so that
   * Ctrl-C and Ctrl-Z reach it alone and a shell inside can do job
   * control. The caller takes the terminal back once the program exits
   * or stops (libc.ts reclaimTerminal). Programs only, never a holder.
   */
  foreground?: { tty: number };
}

/** How a process ended, decoded from the wait status. */
export interface ExitStatus {
  /** Exit code, or 128 + signal number when killed, as a shell reports. */
  status: number;
  signal: string | null;
  coreDumped: boolean;
}

/** A started process. */
export interface Child {
  pid: number;
  /**
   * A pidfd for race-free signals and setns (-1 where unavailable). It
   * belongs to the reaper, which closes it once the child is reaped.
   */
  pidfd: number;
  /** Resolves once the process has ended and been reaped. */
  exited: Promise<ExitStatus>;
  /** The captured standard output, when stdout was `capture`. */
  output: Promise<string> | null;
  /** Sends a signal through the pidfd; false when it has already ended. */
  kill(signal?: NodeJS.Signals | number): boolean;
  /** Why the program did not run ("foo: command not found"), if so. */
  failure: string | null;
  /**
   * Inodes of namespaces made for it, as it saw them before its program
   * ran, where the launcher learnt them (the rest: ask /proc).
   */
  inodes?: Partial<Record<KindName, number>>;
  /** Keep the event loop alive until the child ends (the default). */
  ref(): void;
  /** Let nsrepl exit while the child runs (holders start this way). */
  unref(): void;
}
