// How the namespaces a scan found relate: which user namespace owns each,
// and the parents of user and pid namespaces (ioctl_ns(2)). A relation can
// lead to a namespace no process, mount or fd names — a user namespace
// kept alive only because a namespace it owns is — and that one is added
// to the scan and asked in turn.

import { closeSync, fstatSync, openSync, readFileSync } from "node:fs";
import type { KindName } from "./kinds.js";
import { nsOwnerFd, nsOwnerUid, nsParentFd } from "./libc.js";
import type { MapEntry, NsRecord, Scan } from "./inspect-scan.js";
import { recordFor } from "./inspect-scan.js";
import { trace } from "./trace.js";

type Queue = [NsRecord, number | null][];

/** Fills in owner, parent, owner uid and maps of every record. */
export function relate(scan: Scan): void {
  const queue: Queue = [...scan.records.values()].map((r) => [r, null]);
  try {
    while (queue.length) {
      const [r, given] = queue.shift()!;
      const fd = given ?? openRecord(r);
      if (fd === null) continue;
      try {
        relateOne(scan, r, fd, queue);
      } finally {
        closeSync(fd);
      }
    }
  } finally {
    for (const [, fd] of queue) if (fd !== null) closeSync(fd);
  }
  for (const r of scan.records.values()) readMaps(r);
  markIndirect(scan);
}

// A pid may have been reused, or a mount replaced, since the scan: only
// a file that is still the same namespace will do.
function openRecord(r: NsRecord): number | null {
  for (const path of r.paths) {
    let fd: number;
    try {
      fd = openSync(path, "r");
    } catch {
      continue;
    }
    if (fstatSync(fd).ino === r.inode) return fd;
    closeSync(fd);
  }
  return null;
}

function relateOne(scan: Scan, r: NsRecord, fd: number, queue: Queue) {
  const id = `${r.kind}:[${r.inode}]`;
  r.owner = follow(scan, "user", nsOwnerFd(fd, id), queue);
  traced(id, "NS_GET_USERNS", "user", r.owner);
  if (r.kind === "user" || r.kind === "pid") {
    r.parent = follow(scan, r.kind, nsParentFd(fd, id), queue);
    traced(id, "NS_GET_PARENT", r.kind, r.parent);
  }
  if (r.kind === "user") r.ownerUid = nsOwnerUid(fd, id);
}

// For --verbose. A null answer was EPERM: outside nsrepl's scope.
function traced(id: string, request: string, kind: KindName,
  inode: number | null): void {
  trace(process.pid, `ioctl ${id} ${request}`,
    inode === null ? "-1 EPERM" : `${kind}:[${inode}]`);
}

// Takes over `fd`: queued with its record when the namespace is new to
// the scan (nothing else could open it again), closed otherwise.
function follow(scan: Scan, kind: KindName, fd: number | null,
  queue: Queue): number | null {
  if (fd === null) return null;
  let inode: number;
  try {
    inode = fstatSync(fd).ino;
  } catch (err) {
    closeSync(fd);
    throw err;
  }
  const known = scan.records.has(`${kind}:[${inode}]`);
  const r = recordFor(scan, kind, inode);
  if (known) closeSync(fd);
  else queue.push([r, fd]);
  return inode;
}

// /proc/PID/uid_map is the only window on a user namespace's map, so a
// user namespace without a process in it shows none. Its outside ids
// are as nsrepl's own user namespace sees them.
function readMaps(r: NsRecord): void {
  if (r.kind !== "user" || !r.pids.length) return;
  r.uidMap = readMap(`/proc/${r.pids[0]}/uid_map`);
  r.gidMap = readMap(`/proc/${r.pids[0]}/gid_map`);
}

/** The entries of a uid_map or gid_map file; null if unreadable. */
export function readMap(path: string): MapEntry[] | null {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return null;
  }
  return text.split("\n").filter((l) => l.trim()).map((line) => {
    const [inside, outside, count] = line.trim().split(/\s+/).map(Number);
    return { inside, outside, count };
  });
}

// A namespace nothing else names is kept alive by the namespaces that
// refer to it: those it owns, and the children whose parent it is.
function markIndirect(scan: Scan): void {
  const records = [...scan.records.values()];
  for (const r of records) {
    if (r.pids.length || r.holders.length) continue;
    for (const other of records) {
      const of = `${other.kind}:[${other.inode}]`;
      // A user namespace's owner is its parent: said once, as parent.
      if (r.kind === "user" && other.kind !== "user" &&
        other.owner === r.inode) {
        r.holders.push({ type: "owner", of });
      }
      if (other.kind === r.kind && other.parent === r.inode) {
        r.holders.push({ type: "parent", of });
      }
    }
  }
}
