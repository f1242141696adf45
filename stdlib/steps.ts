// The steps of a new process, as call chains. Ordering here is the kernel's
// ordering: user namespace first, then the other joins, then unshare; maps
// before anything that needs the mapped ids; propagation before mounting;
// fds closed before any blocking read, so that nsrepl's death means EOF.

import type { LaunchSpec } from "./types.js";
import type { Layout } from "./plan.js";
import { kindByName, type KindName } from "./kinds.js";
import type { Arena } from "./arena.js";
import { Chain, Report } from "./chain.js";
import type { SessionCgroup } from "./session-cgroup.js";

/** Everything the steps need: addresses in the arena and fd numbers. */
export interface Build {
  arena: Arena;
  spec: LaunchSpec;
  layout: Layout;
  readyW: number;
  gateR: number;
  /**
   * L1 keeps the gate's write end, and its exit is L2's go (awaitGo);
   * -1: nsrepl sends the go.
   */
  gateW: number;
  /** Fds that survive the closing step, besides 0, 1 and 2. */
  keep: number[];
  stdio: [number, number, number];
  /** Stage A's report (namespace steps); the same as B without stage A. */
  reportA: Report;
  reportB: Report;
  /**
   * Zeroed; the release gate reads the program's path into it, or, with
   * `direct`, nsrepl writes it there before the process starts.
   */
  pathBuf: number;
  /**
   * The program execs without waiting at the release gate: nothing is left
   * for nsrepl to do in between (program-stage.ts, execDirect).
   */
  direct: boolean;
  /** Zeroed; where failed steps leave their mark (Chain.poisonInto). */
  poison: number;
  /**
   * Zeroed; where the process records the namespaces it was made, a
   * struct stat each (program-stage.ts, recordNamespaces); 0: it doesn't.
   */
  nsStat: number;
  /** Which kinds, and the /proc/self/ns file that shows each. */
  nsStatFiles: Array<[KindName, string]>;
  scratch: number;
  /** Signals whose disposition is not SIG_DFL in nsrepl. */
  signals: number[];
  argv: number;
  envp: number;
  /** Names the pid namespace L2 is forked into, for ENOMEM. */
  forkObject: string;
  /** The cgroup the process moves into first; null if there is none. */
  cgroup: SessionCgroup | null;
  /** "0", for cgroup.procs: the writing process moves. */
  zero: number;
}

const PR_SET_PDEATHSIG = 1;
const SIGKILL = 9;
const CLOSE_RANGE_ALL = 0xffffffff;
const O_WRONLY = 1;

// Holders and background children die with nsrepl, even on SIGKILL. The
// signal follows the parent *thread*: nsrepl clones from its main thread.
// A cred change (joining a user ns we don't own) clears it, and fork
// always does, so the program stage sets it again.
/** Makes the process get SIGKILL when nsrepl dies. */
export function deathSignal(chain: Chain, report: Report): void {
  chain.checked(report, { op: "prctl(PR_SET_PDEATHSIG)", object: "SIGKILL" },
    "prctl", PR_SET_PDEATHSIG, SIGKILL);
}

/**
 * Makes the program the leader of a process group of its own, for a
 * foreground program (LaunchSpec.foreground), before it reports: the
 * group exists when nsrepl hands it the terminal. nsrepl sets it from
 * its side too, as shells do, so that neither relies on the other. Only
 * before execve: setpgid on a child that has exec'd fails with EACCES.
 */
export function ownProcessGroup(chain: Chain, b: Build): void {
  chain.checked(b.reportB, { op: "setpgid", object: "0, 0" }, "setpgid",
    0, 0);
}

/**
 * Moves the process into the session's cgroup, so that whatever it starts
 * is born there and dies with the session (session-cgroup.ts). First of
 * all steps: before any fork, and while the process still has nsrepl's
 * credentials and cgroup namespace.
 */
export function enterCgroup(chain: Chain, b: Build): void {
  if (!b.cgroup) return;
  chain.checked(b.reportA, { op: "write", object:
    `${b.cgroup.dir}/cgroup.procs` }, "write", b.cgroup.procs, b.zero, 1);
}

/** The first steps of a single clone: no namespace to join. */
export function simpleStart(chain: Chain, b: Build): void {
  enterCgroup(chain, b);
  deathSignal(chain, b.reportA);
  closeAllBut(chain, b);
}

/** L1's steps: setns each handle (user first), unshare, close, map. */
export function namespaceStage(chain: Chain, b: Build): void {
  enterCgroup(chain, b);
  deathSignal(chain, b.reportA);
  for (const kind of b.layout.joins) {
    const h = b.spec.join[kind]!;
    chain.checked(b.reportA, { op: `setns(${kind})`, object: h.path, kind },
      "setns", h.fd, kindByName(kind)!.flag);
  }
  if (b.layout.unshareFlags) {
    const kinds = b.layout.created;
    chain.checked(b.reportA, { op: `unshare(${kinds.join(",")})`,
      object: "", kind: kinds.includes("user") ? "user" : kinds[0] },
    "unshare", b.layout.unshareFlags);
  }
  closeAllBut(chain, b);
  if (b.layout.selfMaps) selfMaps(chain, b);
  if (b.spec.timeOffsets) timeOffsets(chain, b);
}

// Really close every nsrepl fd the process does not need. CLOEXEC alone
// is not enough: a holder never execs, and would keep other holders'
// lifelines (and everything else) open for good.
function closeAllBut(chain: Chain, b: Build): void {
  let from = 3;
  for (const fd of [...new Set(b.keep)].sort((x, y) => x - y)) {
    if (fd > from) closeRange(chain, b, from, fd - 1);
    from = Math.max(from, fd + 1);
  }
  closeRange(chain, b, from, CLOSE_RANGE_ALL);
}

function closeRange(chain: Chain, b: Build, first: number, last: number) {
  chain.checked(b.reportA, { op: "close_range", object: `fds ${first}-` +
    (last === CLOSE_RANGE_ALL ? "" : `${last}`) }, "close_range",
  first, last, 0);
}

/** The fd open() returns right after closeAllBut: the lowest free one. */
export function nextFreeFd(keep: number[]): number {
  let fd = 3;
  while (keep.includes(fd)) fd++;
  return fd;
}

// A nested user namespace, mapped by the process itself (see plan.ts):
// the chain cannot keep open()'s result, but after closeAllBut the fd
// table is known, so the fd open() returns is too.
function selfMaps(chain: Chain, b: Build): void {
  const maps = b.spec.maps!;
  const line = (e: { inside: number; outside: number; count: number }[]) =>
    e.map((x) => `${x.inside} ${x.outside} ${x.count}\n`).join("");
  if (maps.gid.length > 0) writeProc(chain, b, "setgroups", maps.setgroups);
  if (maps.uid.length > 0) writeProc(chain, b, "uid_map", line(maps.uid));
  if (maps.gid.length > 0) writeProc(chain, b, "gid_map", line(maps.gid));
}

// A new time namespace takes offsets only until a process enters it; the
// first one to enter is L2, forked after this (or, after `unshare time`,
// the session's first program). The unsharing process writes them itself,
// needing CAP_SYS_TIME over the namespace's owner: root has it, and so has
// a process in the user namespace it just created, mapped or not yet.
function timeOffsets(chain: Chain, b: Build): void {
  const text = Object.entries(b.spec.timeOffsets!)
    .map(([clock, s]) => `${clock} ${s} 0\n`).join("");
  // One write: the kernel applies all lines or none.
  if (text) writeProc(chain, b, "timens_offsets", text, "time");
}

function writeProc(chain: Chain, b: Build, file: string, text: string,
  kind: KindName = "user") {
  const path = `/proc/self/${file}`;
  const fd = nextFreeFd(b.keep);
  const data = b.arena.cstring(text);
  const step = { op: "write", object: path, kind };
  chain.checked(b.reportA, { ...step, op: "open" }, "open",
    b.arena.cstring(path), O_WRONLY);
  chain.checked(b.reportA, step, "write", fd, data,
    Buffer.byteLength(text));
  chain.call("close", fd);
}

/** Ends stage A: report, then wait for nsrepl's go-ahead (maps written). */
export function stageAEnd(chain: Chain, b: Build): void {
  chain.call("write", b.readyW, b.reportA.addr, b.reportA.length);
  chain.call("read", b.gateR, b.scratch, 1);
}

/**
 * L1's last steps: fork L2 as nsrepl's own child (CLONE_PARENT), with the
 * kernel storing its pid in the report's tid slot, report, and exit. When
 * the pid namespace's init has exited, the fork fails with ENOMEM; the tid
 * slot stays 0 and the errno slot says why. `share` is CLONE_VM or 0
 * (sharing.ts).
 */
export function forkL2(chain: Chain, b: Build, entry: number,
  stackTop: number, setcontext: number, share: number): void {
  const CLONE_PARENT = 0x8000;
  const CLONE_PARENT_SETTID = 0x100000;
  const SIGCHLD = 17;
  chain.checked(b.reportA, { op: "fork", object: b.forkObject, kind: "pid" },
    "clone", setcontext, stackTop, CLONE_PARENT | CLONE_PARENT_SETTID |
    SIGCHLD | share, entry, b.reportA.addr, 0, 0);
  chain.call("write", b.readyW, b.reportA.addr, b.reportA.length);
  chain.call("_exit", 0);
}

/**
 * L2's first step: wait until nsrepl has checked L1 and written maps. With
 * nothing for nsrepl to do there (no maps, and L2 execs without a release
 * gate, its chain poisoned by L1's failures too), L1 holds the gate's only
 * write end instead, and L2 goes on at EOF, once L1 has reported and
 * exited: its own copy of that end, inherited, is closed first.
 */
export function awaitGo(chain: Chain, b: Build): void {
  if (b.gateW >= 0) chain.call("close", b.gateW);
  chain.call("read", b.gateR, b.scratch, 1);
}
