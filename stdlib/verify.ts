// After "ready", nsrepl checks with the kernel that the new process is
// where it was asked to be. The chain cannot branch, so a failed step would
// otherwise go unnoticed; the errno slots catch failures, and this catches
// everything else (a wrong handle, a step that never ran).

import type { LaunchSpec, NsHandle } from "./types.js";
import { KIND_NAMES, type KindName } from "./kinds.js";
import { nsId, nsInode, ownNamespaces } from "./nsfiles.js";
import { LaunchError } from "./errors.js";

/**
 * Throws LaunchError unless `pid` is in the namespaces `spec` asked for.
 * With `timeAtExec`, a created time namespace is the one `pid` enters at
 * execve (sharing.ts): its time namespace for children until then.
 */
export function verifyNamespaces(pid: number, spec: LaunchSpec,
  timeAtExec = false): void {
  for (const kind of KIND_NAMES) {
    const joined = spec.join[kind];
    if (spec.create.includes(kind)) {
      expectNew(pid, kind, kind === "time" && timeAtExec, joined);
    } else if (spec.createForChildren.includes(kind)) {
      expectNew(pid, kind, true, joined);
    } else if (joined) expectJoined(pid, kind, joined);
  }
}

// A created namespace differs from nsrepl's and from any joined one (a
// user namespace can be both: created inside the joined one).
function expectNew(pid: number, kind: KindName, forChildren: boolean,
  joined: NsHandle | undefined): void {
  const inode = nsInode(pid, kind, forChildren);
  const own = ownNamespaces()[kind].inode;
  if (inode !== own && inode !== joined?.inode) return;
  throw new LaunchError(`${where(kind, forChildren)} of pid ${pid} is ` +
    `${nsId(kind, inode)}, which is not a new namespace`);
}

function expectJoined(pid: number, kind: KindName, h: NsHandle): void {
  const inode = nsInode(pid, kind, false);
  if (inode === h.inode) return;
  throw new LaunchError(`${where(kind, false)} of pid ${pid} is ` +
    `${nsId(kind, inode)}, not ${nsId(kind, h.inode)} from ${h.path}`);
}

function where(kind: KindName, forChildren: boolean): string {
  return forChildren ? `the ${kind} namespace for children`
    : `the ${kind} namespace`;
}
