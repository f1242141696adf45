// The mount jobs a helper runs inside the session's mount namespace. The
// builtins (builtins-mount.ts) refuse to start one while that namespace
// is nsrepl's own, so none of these can change the host's mounts.

import type { ReportedJob } from "./job-report.js";
import { mountAt, mountFlags, unmountAt } from "./libc.js";

const MS_RDONLY = 0x1;
const MS_NOSUID = 0x2;
const MS_NODEV = 0x4;
const MS_NOEXEC = 0x8;
const MS_REMOUNT = 0x20;
const MS_NOATIME = 0x400;
const MS_NODIRATIME = 0x800;
const MS_BIND = 0x1000;
const MS_REC = 0x4000;
const MS_RELATIME = 0x200000;
const MS_STRICTATIME = 0x1000000;
const MNT_DETACH = 0x2;

/** Propagation types, as mount(2) sets them on an existing mount. */
export const PROPAGATION: Record<string, number> = {
  unbindable: 0x20000, private: 0x40000, slave: 0x80000, shared: 0x100000,
};

export const MOUNT_JOBS: Record<string, ReportedJob> = {
  "mount-proc": ([path]) => mountProc(path),
  "mount-tmpfs": ([path, size]) => mountTmpfs(path, size),
  bind: ([src, dst, mode]) => bind(src, dst, mode === "ro"),
  propagation: ([path, mode, rec]) => propagate(path, mode, rec === "rec"),
  remount: ([path, mode]) => remount(path, mode === "ro"),
  umount: ([path]) => {
    unmountAt(path, 0);
    return true;
  },
};

// The flags a fresh /proc usually gets; a proc mount shows the pid
// namespace of the process that mounts it.
function mountProc(path: string) {
  mountAt("proc", path, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, null,
    `proc at ${path}`);
  return true;
}

function mountTmpfs(path: string, size: string | undefined) {
  mountAt("tmpfs", path, "tmpfs", MS_NOSUID | MS_NODEV,
    size ? `size=${size}` : null, `tmpfs at ${path}`);
  return true;
}

// Recursive, as `mount --rbind`: in a user namespace the mounts below a
// tree inherited from a more privileged one are locked to it, and a
// non-recursive bind that would uncover them is refused (EINVAL).
function bind(src: string, dst: string, readonly: boolean) {
  mountAt(src, dst, null, MS_BIND | MS_REC, null, `${dst} (bind of ${src})`);
  if (!readonly) return true;
  try {
    remount(dst, true);
  } catch (error) {
    // A read-only bind that stayed writable is worse than none.
    unmountAt(dst, MNT_DETACH);
    throw error;
  }
  return true;
}

function propagate(path: string, mode: string, recursive: boolean) {
  const flags = PROPAGATION[mode] | (recursive ? MS_REC : 0);
  mountAt(null, path, null, flags, null, `${path} (make ${mode})`);
  return true;
}

// Always MS_BIND: a plain remount changes the superblock, which the host
// shares with a mount namespace copied from it — `ro` would make the
// host's filesystem read-only. With MS_BIND only this mount changes. The
// flags the mount already has are kept: in a user namespace they are
// locked, and leaving one out reads as clearing it (EPERM).
function remount(path: string, readonly: boolean) {
  const flags = MS_REMOUNT | MS_BIND | keptFlags(path) |
    (readonly ? MS_RDONLY : 0);
  mountAt(null, path, null, flags, null,
    `${path} (remount ${readonly ? "ro" : "rw"})`);
  return true;
}

// statvfs ST_* bits: nosuid 2, nodev 4, noexec 8 match MS_*; the atime
// ones do not.
function keptFlags(path: string): number {
  const st = mountFlags(path);
  let flags = st & (MS_NOSUID | MS_NODEV | MS_NOEXEC);
  if (st & 0x800) flags |= MS_NODIRATIME;
  if (st & 0x400) flags |= MS_NOATIME;
  else if (st & 0x1000) flags |= MS_RELATIME;
  else flags |= MS_STRICTATIME;
  return flags;
}
