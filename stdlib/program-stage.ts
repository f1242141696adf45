// The program stage: what the process that will become the program does
// once it is in its namespaces — propagation, root and cwd, /proc,
// hostname, stdio, signals — then reports, waits at the release gate and
// execs (or, for a holder, waits for nsrepl to go away).

import type { Propagation } from "../grammar/ast.js";
import type { Chain } from "./chain.js";
import { deathSignal, ownProcessGroup, type Build } from "./steps.js";
import { errnoAddress } from "./libc.js";

const MS_NOSUID = 0x2;
const MS_NODEV = 0x4;
const MS_NOEXEC = 0x8;
const MS_REC = 0x4000;
const PROPAGATION: Record<Propagation, number> = {
  private: 0x40000, slave: 0x80000, shared: 0x100000, unchanged: 0,
};
const F_SETFD = 2;
const SIG_DFL = 0;

/** Size of the zeroed buffer the release gate reads the path into. */
export const PATH_BYTES = 4096;

/** From mounts to execve, in the process that becomes the program. */
export function programStage(chain: Chain, b: Build): void {
  // After a join (a cred change may clear it) or in L2 (fork clears it).
  if (b.layout.joinPath) deathSignal(chain, b.reportB);
  if (b.direct) stillThere(chain, b);
  recordNamespaces(chain, b);
  propagation(chain, b);
  directories(chain, b);
  if (b.spec.mountProc) mountProc(chain, b);
  if (b.spec.hostname !== null) hostname(chain, b, b.spec.hostname);
  stdio(chain, b);
  // Node ignores SIGPIPE and SIGXFSZ, and ignored signals survive execve.
  for (const signo of b.signals) chain.call("signal", signo, SIG_DFL);
  if (b.spec.foreground) ownProcessGroup(chain, b);
  if (b.direct) return execDirect(chain, b);
  chain.call("write", b.readyW, b.reportB.addr, b.reportB.length);
  if (b.layout.holder) holderEnd(chain, b);
  else execEnd(chain, b);
}

function propagation(chain: Chain, b: Build): void {
  const flag = PROPAGATION[b.spec.propagation];
  // Before anything is mounted inside: with the host's shared propagation
  // a mount made here would appear on the host too.
  if (b.layout.created.includes("mnt") && flag !== 0) {
    const name = `MS_REC|MS_${b.spec.propagation.toUpperCase()}`;
    chain.checked(b.reportB, { op: `mount(${name})`, object: "/" },
      "mount", 0, b.arena.cstring("/"), 0, MS_REC | flag, 0);
  }
}

// `root` then `cwd`, as nsenter --root/--wd and unshare --root/--wd do:
// after chroot the working directory is the new root (else it would stay
// outside it), and `cwd` is resolved from there. Both come before
// mounting /proc, so that `root DIR mount proc` mounts DIR/proc.
function directories(chain: Chain, b: Build): void {
  const root = b.spec.root ?? null;
  if (root !== null) {
    chain.checked(b.reportB, { op: "chroot", object: root }, "chroot",
      b.arena.cstring(root));
    chain.checked(b.reportB, { op: "chdir", object: `/ in ${root}` },
      "chdir", b.arena.cstring("/"));
  }
  if (b.spec.cwd !== null) {
    chain.checked(b.reportB, { op: "chdir", object: b.spec.cwd }, "chdir",
      b.arena.cstring(b.spec.cwd));
  }
}

function mountProc(chain: Chain, b: Build): void {
  const proc = b.arena.cstring("proc");
  chain.checked(b.reportB, { op: "mount(proc)", object: "/proc",
    kind: "pid" }, "mount", proc, b.arena.cstring("/proc"), proc,
  MS_NOSUID | MS_NODEV | MS_NOEXEC, 0);
}

function hostname(chain: Chain, b: Build, name: string): void {
  chain.checked(b.reportB, { op: "sethostname", object: `"${name}"`,
    kind: "uts" }, "sethostname", b.arena.cstring(name),
  Buffer.byteLength(name));
}

// dup2(fd, fd) is a no-op that keeps FD_CLOEXEC, and Node's tty fds are
// CLOEXEC: clear the flag on each target explicitly.
function stdio(chain: Chain, b: Build): void {
  b.stdio.forEach((source, target) => {
    if (source !== target) {
      chain.checked(b.reportB, { op: "dup2", object: `fd ${source} onto ${
        target}` }, "dup2", source, target);
    }
    chain.checked(b.reportB, { op: "fcntl(F_SETFD)", object: `fd ${
      target}` }, "fcntl", target, F_SETFD, 0);
  });
  for (const fd of new Set(b.stdio)) if (fd > 2) chain.call("close", fd);
}

// The gate is fail-closed: the path buffer is zeroed, so if nsrepl dies
// before releasing, read() sees EOF and execve("") fails with ENOENT.
function execEnd(chain: Chain, b: Build): void {
  chain.call("read", b.gateR, b.pathBuf, PATH_BYTES - 1);
  chain.unmask();
  chain.call("execve", b.pathBuf, b.argv, b.envp);
  chain.call("write", b.readyW, errnoAddress(), 4);
  chain.call("_exit", 127);
}

// Without a release gate, nothing stops the program should nsrepl die
// before the death signal was set (or in L2, before it was set again): the
// process would be another's child by then, and never get it. So, the
// death signal set, the process writes a byte to the ready pipe, whose
// read end only nsrepl holds (the process closed its own copy): were
// nsrepl gone, the write fails with EPIPE, and the poison stops execve.
function stillThere(chain: Chain, b: Build): void {
  chain.checked(b.reportB, { op: "write", object: "a byte to nsrepl" },
    "write", b.readyW, b.scratch, 1);
}

/** Bytes of a struct stat, and where st_ino is in it (x86-64). */
export const STAT_BYTES = 144;
export const STAT_INO = 8;

// nsrepl records what namespaces a new process is in; for the ones just
// made it would have to ask /proc after the launch, by which time a short
// program may be gone. The process stats them itself, into the arena,
// before root or cwd change what /proc is (unchecked: a failure leaves a
// zero, and nsrepl asks /proc after all).
function recordNamespaces(chain: Chain, b: Build): void {
  b.nsStatFiles.forEach(([, file], i) => {
    chain.call("stat", b.arena.cstring(`/proc/self/ns/${file}`),
      b.nsStat + i * STAT_BYTES);
  });
}

// Straight on to execve, when nsrepl has nothing to do before the program
// runs: the path is already in the arena, and nsrepl hears nothing until
// EOF on the ready pipe, which is close-on-exec: no round trip through
// nsrepl on the way to the program. A failed step must still stop the program, with
// no one reading the report first: the chain has been poisoning (see
// Chain.poisonInto), and the first byte of the poison buffer, nonzero
// after any failure, is copied over the NULL that ends argv. execve then
// meets a pointer below 256, which nothing maps, and fails with EFAULT
// before the program is loaded. Either way the process then sends its
// report, execve's errno in the last slot, and exits.
function execDirect(chain: Chain, b: Build): void {
  const argvEnd = b.argv + 8 * b.spec.argv!.length;
  chain.endRun();
  chain.call("memcpy", argvEnd, b.poison, 1);
  chain.unmask();
  chain.checked(b.reportB, { op: "execve", object: "" }, "execve",
    b.pathBuf, b.argv, b.envp);
  chain.call("write", b.readyW, b.reportB.addr, b.reportB.length);
  chain.call("_exit", 127);
}

// A holder waits on the gate pipe, which nsrepl keeps open and never
// writes: read() returns when nsrepl closes it or dies, and the holder
// exits. Signals are unblocked so that a plain kill ends it.
function holderEnd(chain: Chain, b: Build): void {
  chain.call("close", b.readyW);
  chain.unmask();
  chain.call("read", b.gateR, b.scratch, 1);
  chain.call("_exit", 0);
}
