// Starting a process: clone, let its call chain put it in its namespaces,
// check what the kernel did, then release it into the program. All of it
// is synchronous — the child reports at once, or dies and its pipe says
// EOF — until the program runs; reaping is then asynchronous (reaper.ts).
//
// The protocol, over two pipes made for each launch:
//   ready: child → nsrepl: report A (namespace steps), report B (program
//          stage), then the execve errno, or EOF when execve succeeded;
//   gate:  nsrepl → child: a go byte after report A (maps written), then
//          the program's path. A holder waits on it until nsrepl is gone.

import { isMainThread } from "node:worker_threads";
import type { Child, LaunchSpec } from "./types.js";
import { layout, type Layout } from "./plan.js";
import { Arena } from "./arena.js";
import { Chain, Report, Stack } from "./chain.js";
import { address, childThreadPointer, clone, giveTerminal, pidfdOpen, pipe,
  reclaimTerminal, setOwnProcessGroup, waitpid, withSignalsBlocked } from
  "./libc.js";
import { memorySharing, type Sharing } from "./sharing.js";
import { keepBuilt, restoreBuilt, shapeKey } from "./images.js";
import { closeChildOnly, closeStdio, ensureStdFds, planStdio, readCapture,
  type StdioPlan } from "./stdio.js";
import { awaitGo, forkL2, namespaceStage, simpleStart, stageAEnd,
  type Build } from "./steps.js";
import { PATH_BYTES, programStage, STAT_BYTES, STAT_INO } from
  "./program-stage.js";
import { kindByName, type KindName } from "./kinds.js";
import { arenaBytes, checkReport, cloneError, closeFd, gatePath,
  nonDefaultSignals, readExact, writeMaps, writePipe } from "./launch-io.js";
import { verifyNamespaces } from "./verify.js";
import { withSmallFork } from "./small-fork.js";
import { allocateSlots, forkFromZygote, setTrampoline, type ZygoteSlots }
  from "./zygote.js";
import { findProgram, findProgramHere } from "./program.js";
import { decodeStatus, track } from "./reaper.js";
import { LaunchError } from "./errors.js";
import { errnoName, errnoText } from "./errno.js";
import { cloneFlagNames, trace, traceReport } from "./trace.js";
import { nsId } from "./nsfiles.js";
import { sessionCgroup, type SessionCgroup } from "./session-cgroup.js";

/** A Child, plus what the contract has no room for yet. */
/** Kept as a name of its own for the launcher's callers. */
export type LaunchedChild = Child;

// One arena for launches whose processes run on nsrepl's memory or a
// copy of it, and a shared one for those the zygote forks (zygote.ts).
const privateArena = new Arena();
const sharedArena = new Arena(true);
const CLONE_VM = 0x100;
const CLONE_PIDFD = 0x1000;
const CLONE_SETTLS = 0x80000;
const SIGCHLD = 17;
const CLONE_STACK = 16384;
const ENOENT = 2;

/** Starts the process `spec` describes; throws SyscallError on failure. */
export function launch(spec: LaunchSpec): LaunchedChild {
  // PR_SET_PDEATHSIG follows the thread that cloned: a worker thread's
  // exit would kill every child it started.
  if (!isMainThread) throw new Error("launch() runs on the main thread only");
  const lay = layout(spec);
  ensureStdFds();
  // Before any fd of this launch exists: the watchdog, started with the
  // cgroup, must not hold one of them even for a moment.
  const cgroup = sessionCgroup();
  const stdio = planStdio(spec.stdio);
  // No signal handler may run in this thread while a child that shares
  // its memory (and errno) runs: see sharing.ts.
  return withSignalsBlocked(() =>
    new Launch(spec, lay, stdio, cgroup).run());
}

interface Proc { pid: number; pidfd: number }

class Launch {
  private readyR = -1;
  private readyW = -1;
  private gateR = -1;
  private gateW = -1;
  /** What clone made: the program itself, or L1. */
  private first: Proc = { pid: -1, pidfd: -1 };
  /** The process that becomes the program (or holder). */
  private subject: Proc = { pid: -1, pidfd: -1 };
  private b!: Build;
  /** The terminal handed to the program, to take back on abort. */
  private tty = -1;
  private sharing: Sharing;
  /**
   * The program's path, found before the launch, when nsrepl has nothing
   * to do between the namespace steps and the program: it then execs
   * without a release gate. null: found nowhere; undefined: gated.
   */
  private ahead: string | null | undefined;
  /** The first process is forked by the zygote (zygote.ts). */
  private viaZygote: boolean;
  private arena: Arena;
  private slots: ZygoteSlots | null = null;

  constructor(private spec: LaunchSpec, private lay: Layout,
    private stdio: StdioPlan, private cgroup: SessionCgroup | null) {
    this.sharing = memorySharing(lay);
    this.ahead = programAhead(spec);
    // Not a holder: it never execs, and would keep the shared arena.
    this.viaZygote = !this.sharing.first && lay.cloneFlags === 0 &&
      !lay.holder;
    this.arena = this.viaZygote ? sharedArena : privateArena;
  }

  run(): LaunchedChild {
    try {
      [this.readyR, this.readyW] = pipe();
      // A holder waits at the gate, and stage A ends at it.
      if (this.ahead === undefined || this.lay.stageA) {
        [this.gateR, this.gateW] = pipe();
      }
      const entry = this.build();
      // Every process of the launch exists once stage A has reported.
      const clone = () => {
        this.start(entry);
        if (this.lay.stageA) this.stageA();
        else this.subject = this.first;
      };
      const { base, size } = this.arena;
      if (this.copiesMemory()) withSmallFork([[base, base + size]], clone);
      else clone();
      if (this.ahead !== undefined) return this.direct(this.ahead);
      this.stageB();
      if (this.spec.foreground) this.handTerminal(this.spec.foreground.tty);
      return this.release();
    } catch (err) {
      this.abort();
      throw err;
    }
  }

  // A process of this launch gets a copy of nsrepl's memory: L1 or the
  // program cloned without CLONE_VM, or L2 forked so by L1.
  private copiesMemory(): boolean {
    if (this.viaZygote) return false;
    return !this.sharing.first || (this.lay.viaL2 && !this.sharing.second);
  }

  // Lays out the arena and builds the chains; returns the first context.
  private build(): number {
    this.arena.reset(arenaBytes(this.spec));
    if (this.viaZygote) this.slots = allocateSlots(this.arena);
    const signals = nonDefaultSignals();
    const key = shapeKey(this.spec, [this.readyW, this.gateR, this.gateW,
      ...this.stdio.sources], signals, this.cgroup);
    const found = restoreBuilt(this.arena, key);
    let entry: number;
    if (found) {
      this.b = found.build;
      entry = found.entry;
    } else {
      this.b = this.buildContext(signals);
      const [first, second] = this.chains(this.b);
      entry = first.reserve();
      // L1 and L2 may run at once on the same memory: a stack each.
      first.build(new Stack(this.arena, first.length));
      if (second) second.build(new Stack(this.arena, second.length));
      if (this.slots) setTrampoline(this.arena, this.slots, entry);
      keepBuilt(this.arena, key, this.b, entry);
    }
    // Not part of the kept image: a launch of the same shape may find
    // another path, or none (the buffer then stays zeroed: ENOENT).
    if (this.ahead) this.arena.write(this.b.pathBuf, gatePath(this.ahead));
    return entry;
  }

  private chains(b: Build): [Chain, Chain | null] {
    const first = new Chain(this.arena);
    if (!this.lay.viaL2 || b.gateW >= 0) {
      // L2 starts with L1's poison when nothing checks L1's report first.
      if (b.direct) first.poisonInto(b.poison);
    }
    if (!this.lay.viaL2) {
      if (this.lay.joinPath) namespaceStage(first, b);
      else simpleStart(first, b);
      if (this.lay.stageA) stageAEnd(first, b);
      programStage(first, b);
      return [first, null];
    }
    // L2's chain is reserved first: L1's clone step needs its address.
    const second = new Chain(this.arena);
    if (b.direct) second.poisonInto(b.poison);
    awaitGo(second, b);
    programStage(second, b);
    const top = this.arena.alloc(CLONE_STACK, 16, false) + CLONE_STACK;
    namespaceStage(first, b);
    // L1's failures are in the poison before L2 is forked with a copy.
    first.endRun();
    forkL2(first, b, second.reserve(), top, address("setcontext"),
      this.sharing.second ? CLONE_VM : 0);
    return [first, second];
  }

  private buildContext(signals: number[]): Build {
    const { spec, lay, stdio } = this;
    const reportA = new Report(this.arena);
    const pid = spec.join.pid;
    return {
      arena: this.arena, spec, layout: lay, readyW: this.readyW,
      gateR: this.gateR,
      gateW: this.l1Releases() ? this.gateW : -1,
      keep: [this.readyW, this.gateR, ...stdio.sources.filter((f) => f > 2),
        ...(this.l1Releases() ? [this.gateW] : [])],
      stdio: stdio.sources, reportA,
      reportB: lay.stageA ? new Report(this.arena) : reportA,
      pathBuf: this.arena.alloc(PATH_BYTES), scratch: this.arena.alloc(16),
      direct: this.ahead !== undefined, poison: this.arena.alloc(64),
      ...this.nsStatPlan(),
      signals,
      argv: spec.argv ? this.arena.strings(spec.argv) : 0,
      envp: this.arena.strings(spec.env),
      forkObject: pid ? `into pid namespace ${nsId("pid", pid.inode)}`
        : "into a new pid namespace",
      cgroup: this.cgroup, zero: this.arena.cstring("0"),
    };
  }

  // The namespaces a gateless program was made are recorded by the
  // process itself where nsrepl can read them: in memory they share.
  private nsStatPlan(): Pick<Build, "nsStat" | "nsStatFiles"> {
    const { sharing } = this;
    if (this.ahead === undefined || this.copiesMemory() ||
      !this.spec.create.length) {
      return { nsStat: 0, nsStatFiles: [] };
    }
    const files = this.spec.create.map((kind): [KindName, string] =>
      [kind, kind === "time" && sharing.timeAtExec ? "time_for_children"
        : kindByName(kind)!.file]);
    return { nsStat: this.arena.alloc(files.length * STAT_BYTES, 8),
      nsStatFiles: files };
  }

  /** What recordNamespaces found, for the Child. */
  private recorded(): Partial<Record<KindName, number>> {
    const found: Partial<Record<KindName, number>> = {};
    this.b.nsStatFiles.forEach(([kind], i) => {
      const at = this.b.nsStat + i * STAT_BYTES + STAT_INO;
      const inode = this.arena.u32(at) + this.arena.u32(at + 4) * 2 ** 32;
      if (inode) found[kind] = inode;
    });
    return found;
  }

  // Signals are blocked (launch()) from before clone until the chain's
  // first context sets its own full mask: the child must never run a
  // Node handler.
  private start(entry: number): void {
    if (this.slots) {
      try {
        this.first = forkFromZygote(this.arena, this.slots);
      } catch (err) {
        throw cloneError(err, this.spec);
      }
      trace(process.pid, "clone(CLONE_PIDFD|SIGCHLD) by the zygote",
        `${this.first.pid}`);
    } else this.clone(entry);
    // Only the child may hold these: EOF on ready must mean it is gone.
    this.readyW = closeFd(this.readyW);
    this.gateR = closeFd(this.gateR);
    if (this.l1Releases()) this.gateW = closeFd(this.gateW);
    closeChildOnly(this.stdio);
  }

  private clone(entry: number): void {
    const top = this.arena.alloc(CLONE_STACK, 16, false) + CLONE_STACK;
    const slot = this.b.scratch + 8;
    // Its own thread area, whose errno the chain's steps report: see
    // childThreadArea in libc.ts.
    const flags = this.lay.cloneFlags | CLONE_PIDFD | SIGCHLD | CLONE_SETTLS |
      (this.sharing.first ? CLONE_VM : 0);
    try {
      this.first.pid = clone(address("setcontext"), top, flags, entry, slot,
        childThreadPointer());
    } catch (err) {
      throw cloneError(err, this.spec);
    }
    this.first.pidfd = this.arena.u32(slot);
    trace(process.pid, `clone(${cloneFlagNames(flags)})`,
      `${this.first.pid}`);
  }

  private stageA(): void {
    const report = this.b.reportA;
    const buf = this.readReport(report, this.first);
    traceReport(this.first.pid, buf, report);
    if (this.lay.viaL2) this.adoptL2(buf);
    else this.subject = this.first;
    checkReport(buf, report);
    if (this.lay.parentMaps) writeMaps(this.subject.pid, this.spec.maps!);
    if (!this.l1Releases()) writePipe(this.gateW, GO);
  }

  // L1's exit lets L2 go (awaitGo in steps.ts): one round trip through
  // nsrepl less, on the way to the program.
  private l1Releases(): boolean {
    return this.lay.viaL2 && !this.lay.parentMaps && this.ahead !== undefined;
  }

  // L1 exits right after reporting; L2 is nsrepl's child (CLONE_PARENT)
  // and unreaped, so its pid cannot be reused before pidfd_open.
  private adoptL2(buf: Buffer): void {
    const tid = buf.readUInt32LE(0);
    trace(this.first.pid, "exit", "0");
    waitpid(this.first.pid, true);
    this.first.pidfd = closeFd(this.first.pidfd);
    this.first.pid = -1;
    if (tid === 0) return;
    this.subject = { pid: tid, pidfd: -1 };
    this.subject.pidfd = pidfdOpen(tid);
  }

  private stageB(): void {
    const buf = this.readReport(this.b.reportB, this.subject);
    traceReport(this.subject.pid, buf, this.b.reportB);
    checkReport(buf, this.b.reportB);
    // A single clone either made every namespace its flags name, or failed:
    // only setns and unshare, run by a chain that cannot branch, need
    // checking against /proc.
    if (this.lay.joinPath) {
      verifyNamespaces(this.subject.pid, this.spec, this.sharing.timeAtExec);
    }
  }

  // Before release: a shell with job control checks at once that its
  // group is in front, and stops itself with SIGTTIN until it is. The
  // program makes its group itself too (steps.ts, ownProcessGroup).
  private handTerminal(tty: number): void {
    const pid = this.subject.pid;
    setOwnProcessGroup(pid);
    trace(process.pid, `setpgid ${pid} ${pid}`, "0");
    giveTerminal(tty, pid);
    this.tty = tty;
    trace(process.pid, `tcsetpgrp ${tty} ${pid}`, "0");
  }

  private readReport(report: Report, proc: Proc): Buffer {
    const buf = readExact(this.readyR, report.length);
    if (buf.length === report.length) return buf;
    this.endedEarly(proc);
  }

  private endedEarly(proc: Proc): never {
    const raw = waitpid(proc.pid, true)!;
    proc.pid = -1;
    const { status, signal } = decodeStatus(raw);
    throw new LaunchError(`the new process ended before reporting ` +
      `(${signal ?? `status ${status}`})`);
  }

  // Without a gate: EOF on ready, with nothing written, means execve
  // succeeded; after any failure the process sends report B, the last
  // slot execve's errno, and exits (program-stage.ts, execDirect).
  private direct(path: string | null): LaunchedChild {
    const report = this.b.reportB;
    this.gateW = closeFd(this.gateW);
    // The byte that shows nsrepl was still there (program-stage.ts).
    if (readExact(this.readyR, 1).length === 0) this.endedEarly(this.subject);
    const buf = readExact(this.readyR, report.length);
    this.readyR = closeFd(this.readyR);
    const pid = this.subject.pid;
    // The last step is execve, traced with its path.
    const exec = report.steps.length - 1;
    if (buf.length === 0) {
      traceReport(pid, Buffer.alloc(report.length), report, exec);
      trace(pid, `execve ${path ?? '""'}`, "0");
      return this.child(null, undefined, -1, this.recorded());
    }
    if (buf.length < report.length) this.endedEarly(this.subject);
    traceReport(pid, buf, report, exec);
    const failed = report.steps.findIndex((_, i) =>
      buf.readUInt32LE(4 + 4 * i) !== 0);
    if (failed !== exec) checkReport(buf, report);
    const errno = buf.readUInt32LE(4 + 4 * exec);
    trace(pid, `execve ${path ?? '""'}`, `-1 ${errnoName(errno)}`);
    return this.child(this.execFailure(path, errno),
      errno === ENOENT ? 127 : 126, -1);
  }

  // Not found: the gate closes with nothing written, the zeroed path
  // makes execve fail with ENOENT, and the child exits 127 on its own.
  private release(): LaunchedChild {
    const argv = this.spec.argv;
    if (!argv) {
      // A holder's gate stays open as its lifeline; the reaper closes it.
      const lifeline = this.gateW;
      this.gateW = -1;
      this.readyR = closeFd(this.readyR);
      return this.child(null, undefined, lifeline);
    }
    const path = findProgram(this.subject.pid, argv[0], this.spec.env);
    if (path !== null) writePipe(this.gateW, gatePath(path));
    this.gateW = closeFd(this.gateW);
    const errno = this.execResult(path);
    const status = !errno ? undefined : errno === ENOENT ? 127 : 126;
    return this.child(this.execFailure(path, errno), status, -1);
  }

  private execFailure(path: string | null, errno: number): string | null {
    if (path === null) return `${this.spec.argv![0]}: command not found`;
    return errno ? `${path}: ${errnoText(errno)}` : null;
  }

  // EOF on ready means execve succeeded: the write end was CLOEXEC. After
  // a failure, EOF means the process has exited and left the arena.
  private execResult(path: string | null): number {
    const exec = readExact(this.readyR, 4);
    if (exec.length === 4) readExact(this.readyR, 1);
    this.readyR = closeFd(this.readyR);
    const errno = exec.length === 4 ? exec.readUInt32LE(0) : 0;
    trace(this.subject.pid, `execve ${path ?? '""'}`,
      errno ? `-1 ${errnoName(errno)}` : "0");
    return errno;
  }

  private child(failure: string | null, status: number | undefined,
    lifeline: number, inodes?: Child["inodes"]): LaunchedChild {
    const { pid, pidfd } = this.subject;
    const holder = this.spec.argv === null;
    const reaped = track(pid, pidfd, { status, background: holder,
      lifeline: lifeline >= 0 ? lifeline : undefined });
    const read = this.stdio.captureRead;
    this.stdio.captureRead = -1;
    const capture = read >= 0 ? readCapture(read) : null;
    return {
      pid, pidfd, failure, inodes, exited: reaped.exited, kill: reaped.kill,
      output: capture?.text ?? null,
      ref: () => { reaped.ref(); capture?.ref(); },
      unref: () => { reaped.unref(); capture?.unref(); },
    };
  }

  // Kill and reap whatever was started, close whatever was opened.
  private abort(): void {
    for (const proc of new Set([this.first, this.subject])) {
      if (proc.pid > 0) {
        try { process.kill(proc.pid, "SIGKILL"); } catch { /* gone */ }
        waitpid(proc.pid, true);
        proc.pid = -1;
      }
      proc.pidfd = closeFd(proc.pidfd);
    }
    for (const fd of [this.readyR, this.readyW, this.gateR, this.gateW]) {
      closeFd(fd);
    }
    closeStdio(this.stdio);
    if (this.tty >= 0) reclaimTerminal(this.tty);
  }
}

const GO = new Uint8Array([1]);

/**
 * The program's path when it can be found before the launch, in nsrepl's
 * own view (see findProgramHere); undefined when only the process can
 * know, or nsrepl must act before the program runs (the terminal).
 */
function programAhead(spec: LaunchSpec): string | null | undefined {
  const argv = spec.argv;
  if (!argv || spec.foreground) return undefined;
  if (argv[0].includes("/")) return argv[0];
  if (spec.join.mnt || (spec.root ?? null) !== null || spec.cwd !== null) {
    return undefined;
  }
  return findProgramHere(argv[0], spec.env);
}
