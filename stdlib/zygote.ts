// The zygote: a small process that forks the first process of a launch
// that cannot share nsrepl's memory (sharing.ts: it moves into a user
// namespace, or joins a time namespace). Even a small fork of nsrepl
// (small-fork.ts) walks every one of Node's hundred-odd mappings twice to
// mark them and once more to copy the rest; a fork of the zygote, which
// has a dozen mappings, costs what a fork of a C program costs.
//
// The zygote is itself a small fork of nsrepl, made at the first such
// launch, and runs a call chain that loops forever:
//
//   read(request) → clone(setcontext, STACK, flags, TRAMPOLINE, PIDFD)
//     → write(reply, PIDFD and errno) → read(request) → ...
//
// clone's arguments are fixed, so everything that changes from launch to
// launch lives in memory both share: the launch is laid out in an arena
// mapped MAP_SHARED (the shared arena) before the zygote was made, with
// its clone stack, a trampoline context that jumps to the launch's first
// context, and the reply slots at fixed places at its start. The zygote
// also shares nsrepl's fd table (CLONE_FILES), so each launch's pipes and
// stdio are there when it forks; the process it forks gets a copy of the
// table, as of that moment, and closes what it does not need as usual.
// Its children are nsrepl's (CLONE_PARENT): reaped, signalled and timed
// like any other.
//
// A process forked from the zygote shares the shared arena with nsrepl, as
// a CLONE_VM child shares all of nsrepl's memory: nsrepl waits for it to
// exec or exit before the arena is laid out again. A holder never execs:
// holders are not forked here.
//
// The zygote has every signal at its default action and blocked, dies with
// nsrepl (PR_SET_PDEATHSIG), and is killed with the other children at
// exit. Should it die otherwise, the next launch finds its pidfd readable
// and makes another.

import { closeSync } from "node:fs";
import { Arena } from "./arena.js";
import { Chain, CONTEXT_BYTES } from "./chain.js";
import {
  address, childThreadPointer, clone, errnoAddress, pidfdSendSignal,
  pidOfPidfd, pipe, pollReadable, waitpid,
} from "./libc.js";
import { withSmallFork } from "./small-fork.js";
import { readExact, UNTOUCHABLE, writePipe } from "./launch-io.js";
import { trace } from "./trace.js";
import { LaunchError, SyscallError } from "./errors.js";

const CLONE_FS = 0x200;
const CLONE_FILES = 0x400;
const CLONE_PIDFD = 0x1000;
const CLONE_PARENT = 0x8000;
const CLONE_SETTLS = 0x80000;
const SIGCHLD = 17;
const SIGKILL = 9;
const SIG_DFL = 0;
const PR_SET_PDEATHSIG = 1;
const PR_SET_NAME = 15;

/** The zygote's name in `ps` (/proc/PID/comm, 15 bytes at most). */
export const ZYGOTE_NAME = "nsrepl-zygote";

/** Bytes of the clone stack at the start of the shared arena. */
export const ZYGOTE_STACK = 16384;

/** The fixed places at the start of the shared arena. */
export interface ZygoteSlots {
  /** clone's stack top. */
  top: number;
  /** The trampoline context: it jumps to the launch's first context. */
  trampoline: number;
  /** pidfd (written by the kernel), then errno (by the zygote). */
  reply: number;
}

const SLOTS_BYTES = ZYGOTE_STACK + CONTEXT_BYTES + 16;

// At the start of the shared arena, whatever the launch.
function slotsAt(base: number): ZygoteSlots {
  return { top: base + ZYGOTE_STACK, trampoline: base + ZYGOTE_STACK,
    reply: base + ZYGOTE_STACK + CONTEXT_BYTES };
}

/** Lays out the fixed places; the first allocation after arena.reset(). */
export function allocateSlots(arena: Arena): ZygoteSlots {
  if (arena.alloc(SLOTS_BYTES, 64, false) !== arena.base) {
    throw new Error("the zygote's slots must come first in the arena");
  }
  return slotsAt(arena.base);
}

/** Fills in the trampoline to `entry`; part of the launch's image. */
export function setTrampoline(arena: Arena, slots: ZygoteSlots,
  entry: number): void {
  // It runs on the clone stack's lower half, and jumps at once.
  Chain.jump(arena, slots.trampoline, entry, slots.top - ZYGOTE_STACK,
    ZYGOTE_STACK / 2);
}

interface Zygote {
  pid: number;
  pidfd: number;
  /** The request and reply pipes; the zygote uses the other two ends. */
  request: number;
  reply: number;
  ends: number[];
  /** The shared arena's mapping it was made with. */
  base: number;
  size: number;
  /** Its own chain's memory. */
  own: Arena;
}

let zygote: Zygote | null = null;

/**
 * Forks the launch laid out in `arena` (the shared arena; slots from
 * allocateSlots, trampoline set): returns the new process's pid and
 * pidfd, or throws clone's error. Signals must be blocked.
 */
export function forkFromZygote(arena: Arena,
  slots: ZygoteSlots): { pid: number; pidfd: number } {
  let pidfd = -1;
  // A zygote killed from outside may be seen dying only once asked (the
  // signal is on its way): a second one is made and asked. Had the first
  // forked already, the kernel has stored the pidfd, in the shared arena
  // and the shared fd table: that process is the one.
  for (let tries = 0; tries < 2 && pidfd < 0; tries++) {
    const z = current(arena);
    arena.setU32(slots.reply, 0xffffffff);
    arena.setU32(slots.reply + 4, 0);
    writePipe(z.request, GO);
    const replied = pollReadable([z.reply, z.pidfd], -1)[0];
    if (replied) readExact(z.reply, 1);
    else end();
    pidfd = arena.u32(slots.reply) | 0;
    if (replied || pidfd >= 0) break;
  }
  if (pidfd < 0 && arena.u32(slots.reply + 4) === 0) {
    throw new LaunchError("nsrepl's zygote ended unexpectedly");
  }
  if (pidfd < 0) {
    throw new SyscallError("clone", "a new process",
      arena.u32(slots.reply + 4));
  }
  return { pid: pidOfPidfd(pidfd), pidfd };
}

const GO = new Uint8Array([1]);

function current(arena: Arena): Zygote {
  if (zygote && (zygote.base !== arena.base || zygote.size !== arena.size)) {
    // The shared arena was mapped anew, elsewhere: this one can't see it.
    end();
  }
  // One that was killed is replaced here, not found out mid-launch.
  if (zygote && pollReadable([zygote.pidfd], 0)[0]) end();
  zygote ??= make(arena);
  return zygote;
}

function make(arena: Arena): Zygote {
  const [requestR, request] = pipe();
  const [reply, replyW] = pipe();
  const own = new Arena();
  try {
    own.reset(1);
    const entry = loop(own, arena, requestR, replyW);
    const top = own.alloc(ZYGOTE_STACK, 16, false) + ZYGOTE_STACK;
    const slot = own.alloc(8);
    const flags = CLONE_FILES | CLONE_FS | CLONE_PIDFD | SIGCHLD |
      CLONE_SETTLS;
    const keep: Array<[number, number]> = [[own.base, own.base + own.size],
      [arena.base, arena.base + arena.size]];
    const pid = withSmallFork(keep, () => clone(address("setcontext"), top,
      flags, entry, slot, childThreadPointer()));
    trace(process.pid, "zygote", `${pid}`);
    // The zygote shares nsrepl's fd table: its ends stay open in it.
    return { pid, pidfd: own.u32(slot), request, reply,
      ends: [requestR, replyW], base: arena.base, size: arena.size, own };
  } catch (error) {
    for (const fd of [request, reply, requestR, replyW]) closeSync(fd);
    own.release();
    throw error;
  }
}

// Once: die with nsrepl, take a name, every signal back to its default.
// Then the loop. The slots are the shared arena's (allocateSlots), at the
// same offsets in every launch.
function loop(own: Arena, arena: Arena, requestR: number,
  replyW: number): number {
  const chain = new Chain(own);
  chain.call("prctl", PR_SET_PDEATHSIG, SIGKILL);
  chain.call("prctl", PR_SET_NAME, own.cstring(ZYGOTE_NAME));
  for (let signo = 1; signo <= 64; signo++) {
    if (!UNTOUCHABLE.has(signo)) chain.call("signal", signo, SIG_DFL);
  }
  const from = chain.length;
  const slots = slotsAt(arena.base);
  const scratch = own.alloc(16);
  const errno = errnoAddress();
  chain.call("read", requestR, scratch, 1);
  chain.call("memset", errno, 0, 4);
  chain.call("clone", address("setcontext"), slots.top,
    CLONE_PARENT | CLONE_PIDFD | SIGCHLD | CLONE_SETTLS, slots.trampoline,
    slots.reply, childThreadPointer(), 0);
  chain.call("memcpy", slots.reply + 4, errno, 4);
  chain.call("write", replyW, scratch, 1);
  const entry = chain.reserve();
  chain.buildLoop(from);
  return entry;
}

/** Kills and reaps the zygote, if there is one (nsrepl's exit). */
export function end(): void {
  const z = zygote;
  if (!z) return;
  zygote = null;
  pidfdSendSignal(z.pidfd, SIGKILL);
  waitpid(z.pid, true);
  for (const fd of [z.pidfd, z.request, z.reply, ...z.ends]) closeSync(fd);
  z.own.release();
}
