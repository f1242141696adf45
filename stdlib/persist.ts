// Keeping a namespace after its last process is gone, as `unshare
// --net=FILE` and `ip netns add` do: a bind mount of the namespace file
// onto an ordinary file. The bind goes into nsrepl's own mount namespace
// (the host's), so it outlives the session and nsrepl.
//
// nsrepl makes this one mount itself. mount(2) moves nobody, and the
// session already holds an fd on every namespace it has, so binding
// /proc/self/fd/N needs no process inside the namespace — there may be
// none (a pid namespace after `unshare pid` has no init yet). A helper
// that joined the session would also be in its user namespace, where it
// has no privilege over the host's mounts.
//
// Any kind may be bound onto a shared mount (that is how /run/netns
// works) except mnt: the kernel never copies a mount namespace file into
// another mount namespace, so where a shared mount has peers to
// propagate to, binding one is EINVAL (explain-net.ts says so).

import { closeSync, constants, existsSync, fstatSync, mkdirSync, openSync,
  unlinkSync } from "node:fs";
import { basename } from "node:path";
import { fromNodeError, SyscallError } from "./errors.js";
import { mountAt, nsType, unmountAt } from "./libc.js";
import { nsId } from "./nsfiles.js";
import { trace } from "./trace.js";
import type { NsHandle } from "./types.js";
import { UntrustedPath, withTrustedDir } from "./trusted-path.js";

const MS_BIND = 0x1000;
const MS_REC = 0x4000;
const MS_SHARED = 0x100000;
const MNT_DETACH = 0x2;
const UMOUNT_NOFOLLOW = 0x8;
const { O_RDONLY, O_CREAT, O_EXCL, O_NOFOLLOW } = constants;
const ENOTTY = 25;

/** The directory `ip netns` keeps its names in. */
export const NETNS_DIR = "/run/netns";

/** A refusal made before any syscall; the message says why. */
export class PersistError extends Error {
  constructor(message: string, public code: string | null = null) {
    super(message);
  }
}

/** Binds `handle`'s namespace onto `path`, creating the file if missing. */
export function persist(handle: NsHandle, path: string): void {
  pinned(path, (at) => bindOnto(handle, at, path, false));
}

// nsrepl runs as root, and a path may lie in a directory another user
// can write to: the directory is reached through trusted links only and
// held open (trusted-path.ts), the file is opened without following a
// link, and the bind, unmount and unlink go to what was opened.
function pinned(path: string, act: (at: string) => void): void {
  try {
    withTrustedDir(path, act);
  } catch (error) {
    if (error instanceof UntrustedPath) {
      throw new PersistError(error.message, "EPERM");
    }
    throw error;
  }
}

/** Unmounts a persisted namespace at `path` and removes the file. */
export function release(path: string): void {
  pinned(path, (at) => {
    if (!isNamespaceFile(at, path)) {
      throw new PersistError(`'${path}' is not a persisted namespace`);
    }
    // MNT_DETACH, as `ip netns del` does: a session that joined the name
    // holds the file open, and a plain umount of a busy mount is EBUSY.
    traced(`umount2("${path}", MNT_DETACH|UMOUNT_NOFOLLOW)`, () =>
      unmountAt(at, MNT_DETACH | UMOUNT_NOFOLLOW, path));
    removeFile(at, path);
  });
}

/** `ip netns add NAME` for the namespace `handle` (kind net). */
export function netnsAdd(handle: NsHandle, name: string): string {
  const path = netnsPath(name);
  shareNetnsDir();
  pinned(path, (at) => bindOnto(handle, at, path, true));
  return path;
}

/** `ip netns del NAME`. */
export function netnsDel(name: string): void {
  const path = netnsPath(name);
  if (!existsSync(path)) {
    throw new PersistError(`no network namespace '${name}' in ${NETNS_DIR}`,
      "ENOENT");
  }
  release(path);
}

/** `/run/netns/NAME`, after the checks iproute2 makes on a name. */
export function netnsPath(name: string): string {
  const why = badName(name);
  if (why) {
    const shown = name.replace(/\0/g, "\\0");
    throw new PersistError(
      `'${shown}' is not a network namespace name: ${why}`);
  }
  return `${NETNS_DIR}/${name}`;
}

// One file name directly under /run/netns, never a path out of it.
function badName(name: string): string | null {
  if (name === "") return "it is empty";
  if (name === "." || name === "..") return "it names a directory";
  if (name.includes("/")) return "it contains '/'";
  if (name.includes("\0")) return "it contains a NUL byte";
  if (Buffer.byteLength(name) > 255) return "it is longer than 255 bytes";
  return null;
}

// `at` is the pinned name of `path`; `fresh`: it must not exist yet.
function bindOnto(handle: NsHandle, at: string, path: string,
  fresh: boolean): void {
  const { fd, created } = openTarget(at, path, fresh);
  try {
    bindNs(handle, fd, path);
  } catch (error) {
    if (created) removeFile(at, path);
    throw error;
  } finally {
    closeSync(fd);
  }
}

// The bind goes onto the file through its open fd: whatever is renamed
// or planted at `path` meanwhile, the mount lands on this very file.
function bindNs(handle: NsHandle, fd: number, path: string): void {
  const source = `/proc/self/fd/${handle.fd}`;
  const object = `${path} (bind of ${nsId(handle.kind, handle.inode)})`;
  traced(`mount("${source}", "${path}", MS_BIND)`, () =>
    mountAt(source, `/proc/self/fd/${fd}`, null, MS_BIND, null, object));
}

// As iproute2 does: /run/netns becomes a shared mount (a bind of itself
// if it is no mount point yet), so that a name added later shows up in
// every mount namespace that was copied from this one — `ip netns exec`
// and other tools' own namespaces among them.
function shareNetnsDir(): void {
  try {
    mkdirSync(NETNS_DIR, { recursive: true, mode: 0o755 });
  } catch (error) {
    throw fromNodeError("mkdir", NETNS_DIR, error);
  }
  try {
    makeShared();
  } catch (error) {
    if ((error as SyscallError).code !== "EINVAL") throw error;
    traced(`mount("${NETNS_DIR}", "${NETNS_DIR}", MS_BIND|MS_REC)`, () =>
      mountAt(NETNS_DIR, NETNS_DIR, null, MS_BIND | MS_REC, null,
        `${NETNS_DIR} (bind of itself)`));
    makeShared();
  }
}

function makeShared(): void {
  traced(`mount("${NETNS_DIR}", MS_SHARED|MS_REC)`, () =>
    mountAt("none", NETNS_DIR, null, MS_SHARED | MS_REC, null,
      `${NETNS_DIR} (make shared)`));
}

// The file a namespace is bound onto, opened without following a link;
// its own mode does not show through the bind.
function openTarget(at: string, path: string,
  fresh: boolean): { fd: number; created: boolean } {
  try {
    return { fd: openSync(at, O_RDONLY | O_CREAT | O_EXCL, 0o444),
      created: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") {
      throw fromNodeError("open", path, error);
    }
  }
  if (fresh) {
    throw new PersistError(`network namespace '${basename(path)}' ` +
      "already exists", "EEXIST");
  }
  const fd = openExisting(at, path);
  if (!fstatSync(fd).isFile()) {
    closeSync(fd);
    throw new PersistError(`'${path}' is not a regular file`);
  }
  return { fd, created: false };
}

function openExisting(at: string, path: string): number {
  try {
    return openSync(at, O_RDONLY | O_NOFOLLOW);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ELOOP") {
      throw new PersistError(`'${path}' is a symbolic link, not followed`,
        "ELOOP");
    }
    throw fromNodeError("open", path, error);
  }
}

// Only a namespace file answers NS_GET_NSTYPE: release never unmounts or
// deletes anything else.
function isNamespaceFile(at: string, path: string): boolean {
  let fd: number;
  try {
    fd = openSync(at, O_RDONLY | O_NOFOLLOW);
  } catch {
    return false;
  }
  try {
    nsType(fd, path);
    return true;
  } catch (error) {
    if ((error as SyscallError).errno === ENOTTY) return false;
    throw error;
  } finally {
    closeSync(fd);
  }
}

function removeFile(at: string, path: string): void {
  try {
    unlinkSync(at);
  } catch (error) {
    throw fromNodeError("unlink", path, error);
  }
}

function traced(call: string, act: () => void): void {
  try {
    act();
    trace(process.pid, call, "0");
  } catch (error) {
    const code = error instanceof SyscallError ? error.code : "error";
    trace(process.pid, call, `-1 ${code}`);
    throw error;
  }
}
