// A witness in a terminal's foreground process group. Ctrl-C, Ctrl-\ and
// Ctrl-Z make the terminal signal every process of the group in front,
// and nobody else: while a program has the terminal, nsrepl sits in its
// own group behind it and hears nothing. The witness joins the program's
// group so that nsrepl learns of the key all the same: SIGINT or SIGQUIT
// ends it, SIGTSTP stops it.
//
// It is a call chain (chain.ts) in a fork of nsrepl, like the watchdog:
// no JavaScript runs in it. Every signal Node handles or ignores gets its
// default action back before the mask is lifted, so a Node handler can
// never run there. It holds no fd but the read end of its lifeline and
// waits on it: EOF (nsrepl gone) ends it, as does PR_SET_PDEATHSIG. It
// dumps no core for SIGQUIT. It changes nothing of the program's: a
// process group's members are signalled together, nothing more.

import { closeSync } from "node:fs";
import { Arena } from "./arena.js";
import { Chain, Stack } from "./chain.js";
import {
  address, childThreadPointer, clone, pipe, withSignalsBlocked,
} from "./libc.js";
import { nonDefaultSignals } from "./launch-io.js";
import { track } from "./reaper.js";
import { withSmallFork } from "./small-fork.js";
import { trace } from "./trace.js";
import type { ExitStatus } from "./types.js";

/** A running witness; nsrepl ends it with end(). */
export interface Witness {
  pid: number;
  /** How it ended: by SIGINT or SIGQUIT when the terminal sent one. */
  exited: Promise<ExitStatus>;
  /** Ends it (SIGKILL, which ends a stopped one too). */
  end(): void;
}

/** The witness's name in `ps` (/proc/PID/comm, 15 bytes at most). */
export const WITNESS_NAME = "nsrepl-witness";

const CLONE_PIDFD = 0x1000;
const CLONE_SETTLS = 0x80000;
const SIGCHLD = 17;
const SIGKILL = 9;
const SIG_DFL = 0;
const CLONE_STACK = 16384;
const CLOSE_RANGE_ALL = 0xffffffff;
const PR_SET_PDEATHSIG = 1;
const PR_SET_DUMPABLE = 4;
const PR_SET_NAME = 15;

let arena: Arena | null = null;

/** Starts a witness in process group `pgrp` (same session as nsrepl). */
export function startWitness(pgrp: number): Witness {
  const [readEnd, lifeline] = pipe();
  let pid: number;
  let pidfd: number;
  try {
    arena ??= new Arena();
    arena.reset(1);
    const entry = buildChain(arena, pgrp, readEnd);
    const top = arena.alloc(CLONE_STACK, 16, false) + CLONE_STACK;
    const slot = arena.alloc(8);
    // The fork starts with every signal blocked; its chain keeps them so
    // until the dispositions are the kernel's defaults. Like every chain's
    // process it has a thread area of its own (libc.ts), and a copy of
    // only the memory its chain uses (small-fork.ts).
    const flags = CLONE_PIDFD | SIGCHLD | CLONE_SETTLS;
    const own: [number, number] = [arena.base, arena.base + arena.size];
    pid = withSignalsBlocked(() => withSmallFork([own], () =>
      clone(address("setcontext"), top, flags, entry, slot,
        childThreadPointer())));
    pidfd = arena.u32(slot);
  } catch (error) {
    closeSync(lifeline);
    throw error;
  } finally {
    closeSync(readEnd);
  }
  trace(process.pid, `witness in process group ${pgrp}`, `${pid}`);
  const reaped = track(pid, pidfd, { lifeline });
  return { pid, exited: reaped.exited, end: () => reaped.kill("SIGKILL") };
}

function buildChain(arena: Arena, pgrp: number, lifeline: number): number {
  const chain = new Chain(arena);
  const scratch = arena.alloc(8);
  chain.call("prctl", PR_SET_PDEATHSIG, SIGKILL);
  chain.call("prctl", PR_SET_NAME, arena.cstring(WITNESS_NAME));
  chain.call("prctl", PR_SET_DUMPABLE, 0);
  chain.call("chdir", arena.cstring("/"));
  chain.call("dup2", lifeline, 0);
  chain.call("close_range", 1, CLOSE_RANGE_ALL, 0);
  for (const signo of nonDefaultSignals()) {
    chain.call("signal", signo, SIG_DFL);
  }
  chain.call("setpgid", 0, pgrp);
  chain.unmask();
  chain.call("read", 0, scratch, 1);
  chain.call("_exit", 0);
  const entry = chain.reserve();
  chain.build(new Stack(arena, chain.length));
  return entry;
}
