// Namespace handles: open files under /proc/PID/ns (or bind mounts of
// them). nsrepl never enters a namespace itself; it holds these fds and
// the processes it starts setns() into them.

import { closeSync, fstatSync, openSync, statSync } from "node:fs";
import type { NsHandle } from "./types.js";
import { KINDS, kindByName, type KindName } from "./kinds.js";
import { fromNodeError, SyscallError } from "./errors.js";
import { nsType, pidfdNamespace, pidfdOpen } from "./libc.js";

/** Opens the namespace file at `path`, which must be of kind `kind`. */
export function openNs(path: string, kind: KindName): NsHandle {
  let fd: number;
  try {
    // Node opens every file O_CLOEXEC, so the handle never leaks into a
    // program; the call chain closes it before execve anyway.
    fd = openSync(path, "r");
  } catch (err) {
    throw fromNodeError("open", path, err, kind);
  }
  return adopt(fd, path, kind);
}

const EINVAL = 22;

// A bind-mounted namespace file can be any kind; ask the kernel which.
function checkKind(fd: number, path: string, kind: KindName): number {
  let flag: number;
  try {
    flag = nsType(fd, path);
  } catch (err) {
    if ((err as SyscallError).code === "ENOTTY") {
      throw new SyscallError(`open(${kind})`, `${path} (not a namespace)`,
        EINVAL, kind);
    }
    throw err;
  }
  if (flag !== kindByName(kind)!.flag) {
    const actual = KINDS.find((k) => k.flag === flag)?.name ?? flag;
    throw new SyscallError(`open(${kind})`,
      `${path} (a ${actual} namespace)`, EINVAL, kind);
  }
  return fstatSync(fd).ino;
}

/** The /proc file naming `pid`'s namespace, or its children's. */
export function nsPath(pid: number | "self", kind: KindName,
  forChildren: boolean): string {
  const k = kindByName(kind)!;
  return `/proc/${pid}/ns/${forChildren ? k.childFile : k.file}`;
}

/**
 * Opens the namespace `pid` is in; with `forChildren`, the pid or time
 * namespace its future children get (pid_for_children, time_for_children).
 */
export function openProcessNs(pid: number, kind: KindName,
  forChildren: boolean): NsHandle {
  const path = nsPath(pid, kind, forChildren);
  try {
    return openNs(path, kind);
  } catch (err) {
    if (!ownChildFile(kind, forChildren) ||
      (err as SyscallError).code !== "ENOENT") throw err;
    try {
      return adopt(pidfdNs(pid, kind, path), path, kind);
    } catch {
      // Before Linux 6.11 there is no such ioctl: report the ENOENT.
      throw err;
    }
  }
}

// Only pid and time have a *_for_children file of their own.
function ownChildFile(kind: KindName, forChildren: boolean): boolean {
  const k = kindByName(kind)!;
  return forChildren && k.childFile !== k.file;
}

// PIDFD_GET_<kind>_NAMESPACE ioctl numbers (Linux 6.11); the *_FOR_CHILDREN
// variant follows pid and time.
const PIDFD_NS: Record<KindName, number> = {
  cgroup: 1, ipc: 2, mnt: 3, net: 4, pid: 5, time: 7, user: 9, uts: 10,
};

// /proc/PID/ns/pid_for_children says ENOENT while the new pid namespace
// has no init yet — exactly after `unshare pid`, before anyone joined. The
// pidfd ioctl hands it out anyway, and the first process that joins it and
// forks becomes its PID 1.
function pidfdNs(pid: number, kind: KindName, path: string): number {
  const pidfd = pidfdOpen(pid);
  try {
    return pidfdNamespace(pidfd, 0xff00 | (PIDFD_NS[kind] + 1), path);
  } finally {
    closeSync(pidfd);
  }
}

function adopt(fd: number, path: string, kind: KindName): NsHandle {
  try {
    return { kind, fd, inode: checkKind(fd, path, kind), path };
  } catch (err) {
    closeSync(fd);
    throw err;
  }
}

let own: Record<KindName, NsHandle> | null = null;

/** nsrepl's own namespaces, as its children would get them (cached). */
export function ownNamespaces(): Record<KindName, NsHandle> {
  if (own) return own;
  const handles = {} as Record<KindName, NsHandle>;
  for (const k of KINDS) {
    handles[k.name] = openNs(nsPath("self", k.name, true), k.name);
  }
  own = handles;
  return handles;
}

/** The inode of the namespace `pid` (or its children) is in. */
export function nsInode(pid: number | "self", kind: KindName,
  forChildren: boolean): number {
  const path = nsPath(pid, kind, forChildren);
  try {
    return statSync(path).ino;
  } catch (err) {
    if (!ownChildFile(kind, forChildren) || pid === "self" ||
      (err as NodeJS.ErrnoException).code !== "ENOENT") {
      throw fromNodeError("stat", path, err, kind);
    }
  }
  const handle = openProcessNs(pid, kind, true);
  closeNs(handle);
  return handle.inode;
}

/** Closes a handle; closing twice is harmless. */
export function closeNs(handle: NsHandle): void {
  if (handle.fd < 0) return;
  closeSync(handle.fd);
  handle.fd = -1;
}

/** The kernel's name for a namespace, as in `net:[4026531840]`. */
export function nsId(kind: KindName, inode: number): string {
  return `${kind}:[${inode}]`;
}

/**
 * The `kind` namespace of the process behind `pidfd`. Race-free: a pidfd
 * names one process for good, so a pid reused after that process exited
 * can never redirect the join (the ioctl then fails with ESRCH).
 */
export function openPidfdNs(pidfd: number, kind: KindName,
  label: string): NsHandle {
  const fd = pidfdNamespace(pidfd, 0xff00 | PIDFD_NS[kind], label);
  return adopt(fd, label, kind);
}

/** A pidfd for any process, for race-free joins; the caller closes it. */
export { pidfdOpen } from "./libc.js";
