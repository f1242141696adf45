// How a LaunchSpec is carried out: by one clone with CLONE_NEW* flags, or
// by a first process (L1) that joins and unshares, and sometimes a second
// one (L2) that it starts so that the program itself lands in a pid or
// time namespace — setns and unshare move only a process's future
// children there, never the process itself.

import type { LaunchSpec } from "./types.js";
import { flagsOf, inKernelOrder, type KindName } from "./kinds.js";
import { SyscallError } from "./errors.js";
import { execEntersTime } from "./sharing.js";
import { envSummary } from "./images.js";
import { nsId } from "./nsfiles.js";

const EPERM = 1;

/** The shape of one launch, decided before anything is cloned. */
export interface Layout {
  /** Joined kinds, user first: gaining privilege over the rest. */
  joins: KindName[];
  /** create ∪ createForChildren. */
  created: KindName[];
  /** create ∪ createForChildren, for the first process's unshare. */
  unshareFlags: number;
  /** CLONE_NEW* flags of the single clone on the simple path. */
  cloneFlags: number;
  /** A first process joins or unshares; otherwise one clone does all. */
  joinPath: boolean;
  /** The program (or holder) runs in a second process, L2. */
  viaL2: boolean;
  /** nsrepl writes setgroups, uid_map and gid_map (from the parent ns). */
  parentMaps: boolean;
  /** The process maps itself: its user ns is nested in a joined one. */
  selfMaps: boolean;
  /** A report and a go-ahead come before the program stage. */
  stageA: boolean;
  holder: boolean;
}

const has = (kinds: KindName[], k: KindName) => kinds.includes(k);

/** Decides how to carry out `spec`; throws on a spec that can't work. */
export function layout(spec: LaunchSpec): Layout {
  const joins = inKernelOrder((Object.keys(spec.join) as KindName[])
    .filter((k) => spec.join[k]));
  const created = [...new Set([...spec.create,
    ...spec.createForChildren])];
  // clone(2) has no room for CLONE_NEWTIME: 0x80 is in its exit signal
  // byte. Only unshare (or clone3) can make a time namespace.
  const joinPath = joins.length > 0 || spec.createForChildren.length > 0 ||
    has(spec.create, "time");
  // setns(pid) and unshare(pid or time) change only pid_for_children or
  // time_for_children; setns(time) moves the caller too. But execve moves
  // a process into its time namespace for children (sharing.ts): only a
  // holder, which never execs, needs L2 to be in a new time namespace.
  const timeByFork = has(spec.create, "time") &&
    (spec.argv === null || !execEntersTime());
  const viaL2 = joinPath && (has(joins, "pid") ||
    has(spec.create, "pid") || timeByFork);
  const userCreated = has(created, "user");
  const nested = userCreated && has(joins, "user");
  const maps = spec.maps !== null;
  const parentMaps = maps && userCreated && !nested;
  const out: Layout = {
    joins, created, joinPath, viaL2, parentMaps,
    holder: spec.argv === null,
    unshareFlags: joinPath ? flagsOf(created) : 0,
    cloneFlags: joinPath ? 0 : flagsOf(spec.create),
    selfMaps: maps && nested,
    stageA: parentMaps || viaL2,
  };
  check(spec, out);
  return out;
}

function check(spec: LaunchSpec, out: Layout) {
  checkPlacement(spec, out.created);
  checkStrings(spec);
  if (spec.argv !== null && spec.argv.length === 0) {
    throw new Error("argv is empty: no program to run");
  }
  if (spec.argv === null && spec.foreground) {
    throw new Error("a holder cannot be given the terminal: it runs no " +
      "program");
  }
  if (out.selfMaps) checkSelfMaps(spec);
}

// Each of these would otherwise act on nsrepl's own namespaces: mounting
// proc over the host's /proc, renaming the host.
function checkPlacement(spec: LaunchSpec, created: KindName[]): void {
  const inMnt = has(created, "mnt") || spec.join.mnt !== undefined;
  const inUts = has(created, "uts") || spec.join.uts !== undefined;
  if (spec.maps && !has(created, "user")) {
    throw new Error("uid/gid maps need a user namespace created for the " +
      "process");
  }
  if (spec.mountProc && !inMnt) {
    throw new Error("mounting proc needs a mount namespace: create or " +
      "join mnt");
  }
  if (spec.timeOffsets && !has(created, "time")) {
    throw new Error("time offsets need a time namespace created for the " +
      "process");
  }
  if (spec.hostname !== null && !inUts) {
    throw new Error("setting the hostname needs a uts namespace: create " +
      "or join uts");
  }
}

function checkStrings(spec: LaunchSpec): void {
  const nul = (t: string | null | undefined) => !!t?.includes("\0");
  // The environment is checked once while it stays the same strings.
  const env = envSummary(spec.env);
  const bad = (spec.argv ?? []).find(nul) ??
    [spec.cwd, spec.root, spec.hostname].find(nul) ??
    (env.clean ? undefined : spec.env.find(nul));
  if (bad === undefined || bad === null) {
    env.clean = true;
    return;
  }
  throw new Error(`"${bad.replace(/\0/g, "\\0")}" contains a NUL byte, ` +
    "which no C string can hold");
}

// A user namespace created inside a joined one can only be mapped by a
// process in its parent namespace, which nsrepl is not in. The process can
// map itself, but the kernel then allows one id only: its own.
function checkSelfMaps(spec: LaunchSpec): void {
  const m = spec.maps!;
  const single = (e: { count: number }[]) => e.length <= 1 &&
    e.every((x) => x.count === 1);
  const wide = !single(m.uid) ? "uid_map" : !single(m.gid) ? "gid_map"
    : m.gid.length > 0 && m.setgroups !== "deny" ? "gid_map" : null;
  if (!wide) return;
  const parent = nsId("user", spec.join.user!.inode);
  throw new SyscallError("write", `${wide} of a user namespace nested in ` +
    `${parent}`, EPERM, "user");
}
