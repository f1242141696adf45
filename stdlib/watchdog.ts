// The watchdog: a process without JavaScript that ends what nsrepl
// started once nsrepl is gone, however it went (SIGKILL included).
// PR_SET_PDEATHSIG reaches only nsrepl's own children; a background
// shell's children, or anything that daemonized, escape it. They all stay
// in the session's cgroup, though (session-cgroup.ts), and the kernel can
// kill a whole cgroup at once.
//
// nsrepl holds the write end of the watchdog's lifeline and never writes
// to it. read() returns at EOF, when nsrepl has closed it or died; the
// watchdog then writes "1" to cgroup.kill and removes the cgroup. It runs
// as a call chain (chain.ts) with every signal blocked, in a session of
// its own, so that neither a terminal's Ctrl-C nor a hangup ends it
// early; only SIGKILL can.

import { closeSync } from "node:fs";
import { Arena } from "./arena.js";
import { Chain, Stack } from "./chain.js";
import { address, childThreadPointer, clone, pipe, withSignalsBlocked } from
  "./libc.js";
import { trace } from "./trace.js";
import { withSmallFork } from "./small-fork.js";

/** A running watchdog; nsrepl keeps `lifeline` open until it leaves. */
export interface Watchdog { pid: number; pidfd: number; lifeline: number }

const CLONE_PIDFD = 0x1000;
const CLONE_SETTLS = 0x80000;
const SIGCHLD = 17;
const CLONE_STACK = 16384;
const CLOSE_RANGE_ALL = 0xffffffff;

// SIGKILLed processes take a moment to exit (a large address space takes
// longer to tear down), and rmdir fails with EBUSY until the last one
// has. The chain cannot loop, so each round is: kill; read cgroup.events,
// which arms poll for its next change; rmdir; poll. If the cgroup was
// empty, rmdir removed it and poll returns at once (a removed kernfs file
// polls ready); if not, poll returns when "populated" changes. A later
// round then finds nothing (ENOENT) and changes nothing. The timeouts
// bound the wait for a process that will not die (one in D state).
const ROUND_TIMEOUTS_MS = [5000, 1000];
const POLLPRI = 2;
const PR_SET_NAME = 15;
/** The watchdog's name in `ps` (/proc/PID/comm, 15 bytes at most). */
export const WATCHDOG_NAME = "nsrepl-watchdog";

let arena: Arena | null = null;

/**
 * Starts a watchdog for cgroup `dir`, given open fds of its cgroup.kill
 * (write) and cgroup.events (read).
 * Unlike every other child of nsrepl it has no death signal: outliving
 * nsrepl is its purpose.
 */
export function startWatchdog(dir: string, killFd: number,
  eventsFd: number): Watchdog {
  const [readEnd, lifeline] = pipe();
  try {
    arena ??= new Arena();
    arena.reset(1);
    const entry = buildChain(arena, dir, [readEnd, killFd, eventsFd]);
    const top = arena.alloc(CLONE_STACK, 16, false) + CLONE_STACK;
    const slot = arena.alloc(8);
    // Its own thread area, as every chain's process (libc.ts).
    const flags = CLONE_PIDFD | SIGCHLD | CLONE_SETTLS;
    // It lives as long as the session: it need not hold a copy of all of
    // nsrepl's memory meanwhile (small-fork.ts).
    const own: [number, number] = [arena.base, arena.base + arena.size];
    const pid = withSignalsBlocked(() => withSmallFork([own], () =>
      clone(address("setcontext"), top, flags, entry, slot,
        childThreadPointer())));
    trace(process.pid, `watchdog for ${dir}`, `${pid}`);
    return { pid, pidfd: arena.u32(slot), lifeline };
  } catch (error) {
    closeSync(lifeline);
    throw error;
  } finally {
    closeSync(readEnd);
  }
}

// fds: the lifeline's read end, cgroup.kill, cgroup.events; they
// become 0, 1 and 2.
function buildChain(arena: Arena, dir: string, fds: number[]): number {
  const chain = new Chain(arena);
  const scratch = arena.alloc(256);
  const one = arena.cstring("1");
  const path = arena.cstring(dir);
  const pollfd = arena.alloc(8, 8);
  arena.setU32(pollfd, 2);
  arena.setU32(pollfd + 4, POLLPRI);
  chain.call("setsid");
  chain.call("prctl", PR_SET_NAME, arena.cstring(WATCHDOG_NAME));
  // Holds no directory busy, no terminal open, no fd of nsrepl's but these.
  chain.call("chdir", arena.cstring("/"));
  fds.forEach((fd, to) => chain.call("dup2", fd, to));
  chain.call("close_range", 3, CLOSE_RANGE_ALL, 0);
  chain.call("read", 0, scratch, 1);
  for (const timeout of ROUND_TIMEOUTS_MS) {
    chain.call("write", 1, one, 1);
    chain.call("pread", 2, scratch, 256, 0);
    chain.call("rmdir", path);
    chain.call("poll", pollfd, 1, timeout);
  }
  chain.call("_exit", 0);
  const entry = chain.reserve();
  chain.build(new Stack(arena, chain.length));
  return entry;
}
