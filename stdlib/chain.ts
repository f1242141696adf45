// A call chain: what a new process runs between clone(2) and execve(2),
// without a line of JavaScript. V8 cannot run in a forked child, so the
// child runs `setcontext` on a chain of ucontext_t's, each calling one libc
// function and linked to the next by uc_link (runtime.md, "A way that works
// without a compiler").
//
// The chain cannot branch and drops return values, so a step that can fail
// is wrapped: errno is zeroed before it and copied into a report slot
// after it. The process later writes the whole report to nsrepl, which
// finds the first failed step and refuses to release the program.

import type { KindName } from "./kinds.js";
import type { Arena } from "./arena.js";
import {
  address, errnoAddress, getcontext, makecontext, type ChainFunction,
} from "./libc.js";

// glibc's ucontext_t: uc_link and uc_stack sit at the same offsets on
// x86-64 and aarch64; uc_sigmask and the size do not (sizeof is 968 on
// x86-64, 4560 on aarch64). Only x86-64 is tested.
const UC_LINK = 8;
const SS_SP = 16;
const SS_SIZE = 32;
const LAYOUT: Record<string, { sigmask: number; slot: number }> = {
  x64: { sigmask: 296, slot: 1024 },
  arm64: { sigmask: 40, slot: 4608 },
};
const arch = LAYOUT[process.arch];
if (!arch) throw new Error(`no ucontext_t layout for ${process.arch}`);
const UC_SIGMASK = arch.sigmask;
const SLOT = arch.slot;
/** Bytes a context takes in the arena. */
export const CONTEXT_BYTES = SLOT;
// setcontext hands the kernel 8 bytes of mask (_NSIG / 8).
const KERNEL_SIGSET = 8;

/** A checked step, described well enough to report its failure. */
export interface StepInfo { op: string; object: string; kind?: KindName }

/**
 * Errno slots filled by one process and sent to nsrepl in one write:
 * a leading u32 (the tid slot of CLONE_PARENT_SETTID, else unused), then
 * one u32 per checked step.
 */
export class Report {
  readonly addr: number;
  readonly steps: StepInfo[] = [];

  constructor(arena: Arena, private capacity = 96) {
    this.addr = arena.alloc(4 + capacity * 4, 8);
  }

  /** The address of the next step's slot. */
  slot(step: StepInfo): number {
    if (this.steps.length === this.capacity) throw new Error("report full");
    this.steps.push(step);
    return this.addr + 4 * this.steps.length;
  }

  /** Bytes the process writes: the tid slot and every step's errno. */
  get length(): number {
    return 4 + 4 * this.steps.length;
  }
}

/**
 * The stack all contexts of a launch share. makecontext stores each
 * context's return address, stack arguments and uc_link just below its
 * stack top, and a function only writes below its own top. So contexts get
 * increasing tops in the order they run: each function scribbles only over
 * contexts that have already finished.
 */
export class Stack {
  private readonly base: number;
  private used = 0;

  constructor(arena: Arena, contexts: number, private scratch = 32768) {
    this.base = arena.alloc(scratch + contexts * 128, 16, false);
  }

  /** ss_sp and ss_size for the next context. */
  next(stackArgs: number): [number, number] {
    this.used += 64 + 16 * Math.ceil(stackArgs / 2);
    return [this.base, this.scratch + this.used];
  }
}

interface Call { func: ChainFunction; args: number[]; masked: boolean }

const ERRNO_NEUTRAL = new Set<ChainFunction>(["memcpy", "memset", "strcat"]);

/** The libc calls one process makes, in order. */
export class Chain {
  private calls: Call[] = [];
  private errnoClean = false;
  private masked = true;
  private first = 0;
  /** Where failures accumulate once poisoning is on; 0 while off. */
  private poison = 0;
  /** Checked steps have run since the last time errno was poured in. */
  private runOpen = false;

  constructor(private arena: Arena) {}

  /** Calls `func(...args)`, ignoring its result. */
  call(func: ChainFunction, ...args: number[]): this {
    this.endRun();
    return this.push(func, args);
  }

  private push(func: ChainFunction, args: number[]): this {
    this.calls.push({ func, args, masked: this.masked });
    // These never touch errno; anything else may leave it set.
    if (!ERRNO_NEUTRAL.has(func)) this.errnoClean = false;
    return this;
  }

  /** Calls `func(...args)` and records its errno in `report`. */
  checked(report: Report, step: StepInfo, func: ChainFunction,
    ...args: number[]): this {
    const errno = errnoAddress();
    // A success leaves errno alone, so one zeroing serves a run of checked
    // steps; after a failure the later slots may be stale, but only the
    // first failure is reported.
    if (!this.errnoClean) this.push("memset", [errno, 0, 4]);
    this.push(func, args);
    this.push("memcpy", [report.slot(step), errno, 4]);
    this.errnoClean = true;
    this.runOpen = true;
    return this;
  }

  /**
   * From here on, every failed checked step leaves a mark in the zeroed
   * buffer at `acc`, for a process that must not go on to exec after a
   * failure, with no one checking its report first (program-stage.ts).
   * errno is zeroed only at the start of a run of checked steps, and a
   * success leaves it alone, so a failure shows in errno until the run
   * ends; the run's errno, an empty C string after a success, is then
   * appended to `acc`. An errno below 256 is one nonzero byte: the first
   * byte of `acc` is nonzero if any step failed.
   */
  poisonInto(acc: number): this {
    this.poison = acc;
    return this;
  }

  /** Ends the current run of checked steps (see poisonInto). */
  endRun(): this {
    if (this.poison && this.runOpen) {
      this.push("strcat", [this.poison, errnoAddress()]);
    }
    this.runOpen = false;
    return this;
  }

  /**
   * Later calls run with no signal blocked. Only the execve (and a
   * holder's final wait) needs that: the mask survives execve, and all
   * dispositions have been reset by then.
   */
  unmask(): this {
    this.masked = false;
    return this;
  }

  /** Reserves the contexts; returns the first one, for clone's `arg`. */
  reserve(): number {
    this.first = this.arena.alloc(this.calls.length * SLOT, 64);
    return this.first;
  }

  /** Fills in every context; the chain must end with `_exit`. */
  build(stack: Stack): void {
    const last = this.calls.length - 1;
    if (this.calls[last]?.func !== "_exit") {
      // A NULL uc_link makes glibc call exit(), which would run Node's
      // exit handlers in the child.
      throw new Error("a call chain must end with _exit");
    }
    this.calls.forEach((call, i) => {
      const ucp = this.first + i * SLOT;
      const at = stack.next(Math.max(0, call.args.length - 6));
      this.context(ucp, call, at, i === last ? 0 : ucp + SLOT);
    });
  }

  /**
   * Fills in every context, the last one linking back to context `from`:
   * a loop with no end. A shared Stack relies on contexts running once,
   * in order; here each context gets a stack of its own instead.
   *
   * A context is spent once it has run: glibc's __start_context, on its
   * way to the next context, calls setcontext with the stack pointer at
   * the saved link; the call pushes its return address just below it, and
   * setcontext pushes its argument below that, where the function's
   * return address was. So a context that runs again gets two stack
   * arguments more than its function takes, dummies that sit just below
   * the link and take both pushes instead.
   */
  buildLoop(from: number, stackBytes = 8192): void {
    const stacks = this.arena.alloc(this.calls.length * stackBytes, 16,
      false);
    this.calls.forEach((call, i) => {
      const ucp = this.first + i * SLOT;
      const next = i === this.calls.length - 1 ? from : i + 1;
      const again = i < from ? call
        : { ...call, args: [...call.args, ...new Array(
          Math.max(2, 8 - call.args.length)).fill(0)] };
      this.context(ucp, again, [stacks + i * stackBytes, stackBytes],
        this.first + next * SLOT);
    });
  }

  private context(ucp: number, call: Call, [sp, size]: [number, number],
    link: number) {
    const arena = this.arena;
    // getcontext on the slot itself: the context points into itself.
    getcontext(ucp);
    arena.setU64(ucp + UC_LINK, link);
    arena.setU64(ucp + SS_SP, sp);
    arena.setU64(ucp + SS_SIZE, size);
    arena.fill(ucp + UC_SIGMASK, KERNEL_SIGSET, call.masked ? 0xff : 0);
    makecontext(ucp, address(call.func), call.args);
  }

  /**
   * A single context at `ucp` (SLOT bytes the caller reserved) that jumps
   * to the context `target`, running on [sp, sp + size) meanwhile.
   */
  static jump(arena: Arena, ucp: number, target: number, sp: number,
    size: number): void {
    const chain = new Chain(arena);
    chain.call("setcontext", target);
    chain.context(ucp, chain.calls[0], [sp, size], 0);
  }

  /** How many contexts the chain has, for sizing a Stack. */
  get length(): number {
    return this.calls.length;
  }
}
