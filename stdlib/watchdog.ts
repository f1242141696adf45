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
import { address, clone, pipe, withSignalsBlocked } from "./libc.js";
import { trace } from "./trace.js";

/** A running watchdog; nsrepl keeps `lifeline` open until it leaves. */
export interface Watchdog { pid: number; pidfd: number; lifeline: number }

const CLONE_PIDFD = 0x1000;
const SIGCHLD = 17;
const CLONE_STACK = 16384;
const CLOSE_RANGE_ALL = 0xffffffff;

// SIGKILLed processes take a moment to exit (a large address space takes
// longer to tear down), and rmdir fails with EBUSY until the last one
// has. So: kill, wait, try, with growing waits, 6 s in all at most. A
// rmdir after one that succeeded fails with ENOENT and changes nothing.
const RMDIR_WAITS_MS = [0, 1, 10, 100, 1000, 5000];

let arena: Arena | null = null;

/**
 * Starts a watchdog for cgroup `dir`, given an open fd of its cgroup.kill.
 * Unlike every other child of nsrepl it has no death signal: outliving
 * nsrepl is its purpose.
 */
export function startWatchdog(dir: string, killFd: number): Watchdog {
  const [readEnd, lifeline] = pipe();
  try {
    arena ??= new Arena();
    arena.reset(1);
    const entry = buildChain(arena, dir, readEnd, killFd);
    const top = arena.alloc(CLONE_STACK, 16, false) + CLONE_STACK;
    const slot = arena.alloc(8);
    const flags = CLONE_PIDFD | SIGCHLD;
    const pid = withSignalsBlocked(() =>
      clone(address("setcontext"), top, flags, entry, slot));
    trace(process.pid, `watchdog for ${dir}`, `${pid}`);
    return { pid, pidfd: arena.u32(slot), lifeline };
  } catch (error) {
    closeSync(lifeline);
    throw error;
  } finally {
    closeSync(readEnd);
  }
}

function buildChain(arena: Arena, dir: string, readEnd: number,
  killFd: number): number {
  const chain = new Chain(arena);
  const scratch = arena.alloc(16);
  const one = arena.cstring("1");
  const path = arena.cstring(dir);
  chain.call("setsid");
  // Holds no directory busy, no terminal open, no fd of nsrepl's but two.
  chain.call("chdir", arena.cstring("/"));
  chain.call("dup2", readEnd, 0);
  chain.call("dup2", killFd, 1);
  chain.call("close_range", 2, CLOSE_RANGE_ALL, 0);
  chain.call("read", 0, scratch, 1);
  for (const ms of RMDIR_WAITS_MS) {
    chain.call("write", 1, one, 1);
    chain.call("nanosleep", timespec(arena, ms), 0);
    chain.call("rmdir", path);
  }
  chain.call("_exit", 0);
  const entry = chain.reserve();
  chain.build(new Stack(arena, chain.length));
  return entry;
}

function timespec(arena: Arena, ms: number): number {
  const addr = arena.alloc(16, 8);
  arena.setU64(addr, Math.floor(ms / 1000));
  arena.setU64(addr + 8, (ms % 1000) * 1e6);
  return addr;
}
