// The one module that loads koffi. It declares every libc function nsrepl
// uses, and exposes small typed wrappers that throw SyscallError on -1.
//
// Two sorts of function live here. The parent calls a few itself (mmap,
// clone, pipe2, waitpid...). The others are only ever run by a new process
// through its call chain (see chain.ts): nsrepl takes their addresses and
// never calls them, because setns or unshare in the Node process would move
// one thread of a multithreaded process, which the kernel refuses or makes
// meaningless (../shared/design/runtime.md).

import { createRequire } from "node:module";
import type koffiModule from "koffi";
import { SyscallError } from "./errors.js";

// Loading koffi and resolving libc costs tens of milliseconds; a script
// that starts no process (or `--help`) should not pay it. Each object
// below is made on first use.
function lazy<T extends object>(make: () => T): T {
  let value: T | undefined;
  return new Proxy({} as T, {
    get(_, key) {
      value ??= make();
      const v = Reflect.get(value, key);
      return typeof v === "function" ? v.bind(value) : v;
    },
  });
}

const koffi = lazy(() =>
  createRequire(import.meta.url)("koffi") as typeof koffiModule);
const lib = lazy(() => koffi.load("libc.so.6"));

const fn = (proto: string) => lib.func(proto);

// Called by nsrepl itself.
const c = lazy(() => ({
  dlsym: fn("uintptr_t dlsym(uintptr_t handle, const char *name)"),
  errnoLocation: fn("uintptr_t __errno_location(void)"),
  mmap: fn("uintptr_t mmap(uintptr_t addr, size_t len, int prot, " +
    "int flags, int fd, int64_t off)"),
  munmap: fn("int munmap(uintptr_t addr, size_t len)"),
  getcontext: fn("int getcontext(uintptr_t ucp)"),
  makecontext: fn("void makecontext(uintptr_t ucp, uintptr_t fn, " +
    "int argc, ...)"),
  clone: fn("int clone(uintptr_t fn, uintptr_t stack, int flags, " +
    "uintptr_t arg, uintptr_t ptid, uintptr_t tls, uintptr_t ctid)"),
  pipe2: fn("int pipe2(_Out_ int *fds, int flags)"),
  sigprocmask: fn("int sigprocmask(int how, const uint8_t *set, " +
    "_Out_ uint8_t *old)"),
  waitpid: fn("int waitpid(int pid, _Out_ int *status, int options)"),
  syscall: fn("long syscall(long nr, ...)"),
  fcntl: fn("int fcntl(int fd, int cmd, ...)"),
  ioctl: fn("int ioctl(int fd, unsigned long request, ...)"),
  strerror: fn("const char *strerror(int errnum)"),
}));

// Run only inside a new process, through the call chain; declared so that
// the prototypes are on record and a missing symbol fails at load time.
const CHAIN_PROTOTYPES = {
  setcontext: "int setcontext(uintptr_t ucp)",
  read: "intptr_t read(int fd, uintptr_t buf, size_t count)",
  write: "intptr_t write(int fd, uintptr_t buf, size_t count)",
  open: "int open(uintptr_t path, int flags, ...)",
  close: "int close(int fd)",
  close_range: "int close_range(uint first, uint last, int flags)",
  dup2: "int dup2(int oldfd, int newfd)",
  fcntl: "int fcntl(int fd, int cmd, ...)",
  chdir: "int chdir(uintptr_t path)",
  setns: "int setns(int fd, int nstype)",
  unshare: "int unshare(int flags)",
  clone: "int clone(uintptr_t fn, uintptr_t stack, int flags, " +
    "uintptr_t arg, uintptr_t ptid, uintptr_t tls, uintptr_t ctid)",
  mount: "int mount(uintptr_t source, uintptr_t target, uintptr_t type, " +
    "ulong flags, uintptr_t data)",
  sethostname: "int sethostname(uintptr_t name, size_t len)",
  prctl: "int prctl(int option, ...)",
  signal: "uintptr_t signal(int signum, uintptr_t handler)",
  execve: "int execve(uintptr_t path, uintptr_t argv, uintptr_t envp)",
  memset: "uintptr_t memset(uintptr_t s, int c, size_t n)",
  memcpy: "uintptr_t memcpy(uintptr_t dest, uintptr_t src, size_t n)",
  _exit: "void _exit(int status)",
} as const;

/** A libc function that a call chain may run. */
export type ChainFunction = keyof typeof CHAIN_PROTOTYPES;

const addresses = lazy(() => {
  const found = new Map<string, number>();
  for (const [name, proto] of Object.entries(CHAIN_PROTOTYPES)) {
    fn(proto);
    const address = c.dlsym(0, name) as number;
    if (!address) throw new Error(`libc.so.6 has no ${name}()`);
    found.set(name, address);
  }
  return found;
});

/** The address of a chain function, for makecontext and clone. */
export function address(name: ChainFunction): number {
  return addresses.get(name)!;
}

/** errno's address for the calling (main) thread; a clone keeps it. */
export function errnoAddress(): number {
  return c.errnoLocation() as number;
}

/** glibc's strerror text, to check the errno table against. */
export function strerror(errno: number): string {
  return c.strerror(errno) as string;
}

function check(result: number, op: string, object: string): number {
  if (result === -1) throw new SyscallError(op, object, koffi.errno());
  return result;
}

const PROT_READ_WRITE = 0x3;
const MAP_PRIVATE_ANONYMOUS = 0x22;

/** Maps `length` bytes of zeroed private memory that nsrepl owns. */
export function mapMemory(length: number): number {
  const addr = c.mmap(0, length, PROT_READ_WRITE, MAP_PRIVATE_ANONYMOUS,
    -1, 0) as number;
  // MAP_FAILED is (void *)-1, which a uintptr_t reads as 2^64 - 1.
  if (addr === -1 || addr >= 2 ** 63) {
    throw new SyscallError("mmap", `${length} bytes`, koffi.errno());
  }
  return addr;
}

/** Unmaps memory from mapMemory; no view of it may be used afterwards. */
export function unmapMemory(addr: number, length: number): void {
  check(c.munmap(addr, length) as number, "munmap", `${length} bytes`);
}

/** An ArrayBuffer over raw memory, without copying. */
export function memoryView(addr: number, length: number): ArrayBuffer {
  return koffi.view(addr, length);
}

/** Fills a ucontext_t in place (it keeps a pointer into itself). */
export function getcontext(ucp: number): void {
  check(c.getcontext(ucp) as number, "getcontext", `${ucp}`);
}

/** Makes `ucp` call `func(...args)`, every argument passed as 64 bits. */
export function makecontext(ucp: number, func: number, args: number[]) {
  const variadic: unknown[] = [];
  for (const arg of args) variadic.push("uint64_t", arg);
  c.makecontext(ucp, func, args.length, ...variadic);
}

/** Starts a process at `func(arg)` on `stackTop`; returns its pid. */
export function clone(func: number, stackTop: number, flags: number,
  arg: number, parentTid: number): number {
  return check(c.clone(func, stackTop, flags, arg, parentTid, 0, 0) as number,
    "clone", "a new process");
}

const O_CLOEXEC = 0o2000000;

/** A pipe, both ends close-on-exec: [read end, write end]. */
export function pipe(): [number, number] {
  const fds = new Int32Array(2);
  check(c.pipe2(fds, O_CLOEXEC) as number, "pipe2", "a new pipe");
  return [fds[0], fds[1]];
}

const SIG_SETMASK = 2;
const allSignals = Buffer.alloc(128, 0xff);

/**
 * Runs `f` with every signal blocked in the calling thread, so that a
 * clone made inside cannot run one of Node's handlers before its chain
 * installs its own mask.
 */
export function withSignalsBlocked<T>(f: () => T): T {
  const saved = Buffer.alloc(128);
  check(c.sigprocmask(SIG_SETMASK, allSignals, saved) as number,
    "sigprocmask", "all signals");
  try {
    return f();
  } finally {
    c.sigprocmask(SIG_SETMASK, saved, null);
  }
}

const WNOHANG = 1;

/** Reaps `pid` (never -1: that would steal libuv's children). */
export function waitpid(pid: number, block: boolean): number | null {
  const status = new Int32Array(1);
  for (;;) {
    const got = c.waitpid(pid, status, block ? 0 : WNOHANG) as number;
    if (got === -1 && koffi.errno() === EINTR) continue;
    check(got, "waitpid", `pid ${pid}`);
    return got === 0 ? null : status[0];
  }
}

const EINTR = 4;
const ESRCH = 3;
const SYS_pidfd_send_signal = 424;
const SYS_pidfd_open = 434;

/** A pidfd for `pid`, which must be an unreaped child of nsrepl. */
export function pidfdOpen(pid: number): number {
  const fd = c.syscall(SYS_pidfd_open, "int", pid, "uint", 0) as number;
  return check(fd, "pidfd_open", `pid ${pid}`);
}

/** Sends `signal` through a pidfd; false once the process is gone. */
export function pidfdSendSignal(pidfd: number, signal: number): boolean {
  const r = c.syscall(SYS_pidfd_send_signal, "int", pidfd, "int", signal,
    "void *", null, "uint", 0) as number;
  if (r === -1 && koffi.errno() === ESRCH) return false;
  check(r, "pidfd_send_signal", `pidfd ${pidfd}`);
  return true;
}

const F_DUPFD_CLOEXEC = 1030;

/** A close-on-exec duplicate of `fd` numbered `min` or above. */
export function dupAbove(fd: number, min: number): number {
  return check(c.fcntl(fd, F_DUPFD_CLOEXEC, "int", min) as number,
    "fcntl(F_DUPFD_CLOEXEC)", `fd ${fd}`);
}

const NS_GET_NSTYPE = 0xb703;

/** The CLONE_NEW* flag of the namespace that `fd` refers to. */
export function nsType(fd: number, path: string): number {
  return check(c.ioctl(fd, NS_GET_NSTYPE, "ulong", 0) as number,
    "ioctl(NS_GET_NSTYPE)", path);
}

/** The namespace fd a pidfd ioctl (PIDFD_GET_*_NAMESPACE) returns. */
export function pidfdNamespace(pidfd: number, request: number,
  object: string): number {
  // The pidfd ioctls insist that the unused argument is 0 (EINVAL else);
  // a variadic call without it would pass whatever the register held.
  return check(c.ioctl(pidfd, request, "ulong", 0) as number,
    "ioctl(PIDFD_GET_NS)", object);
}

/** A poll watch on an fd, driven by Node's event loop. */
export interface FdWatch {
  close(): void;
  ref(): void;
  unref(): void;
}

/** Calls `onReadable` whenever `fd` polls readable; libuv sets O_NONBLOCK. */
export function watchReadable(fd: number, onReadable: () => void): FdWatch {
  const handle = koffi.node.poll(fd, { readable: true }, () => onReadable());
  return {
    close: () => handle.close(),
    ref: () => handle.ref(),
    unref: () => handle.unref(),
  };
}

// Bringing a link up is an ioctl on any socket of the network namespace
// the calling process is in: run by a helper process inside it.
const link = lazy(() => ({
  socket: fn("int socket(int domain, int type, int protocol)"),
  close: fn("int close(int fd)"),
  ioctl: lib.func("ioctl", "int", ["int", "ulong", "uint8_t *"]),
}));

const AF_INET = 2;
const SOCK_DGRAM_CLOEXEC = 2 | 0o2000000;
const SIOCGIFFLAGS = 0x8913;
const SIOCSIFFLAGS = 0x8914;
const IFF_UP = 0x1;
const IFNAMSIZ = 16;

/** Sets IFF_UP on the link `name` of this process's network namespace. */
export function setLinkUp(name: string): void {
  if (Buffer.byteLength(name) >= IFNAMSIZ || name.includes("\0")) {
    throw new SyscallError("ioctl(SIOCSIFFLAGS)", `link '${name}'`, 22);
  }
  const fd = check(link.socket(AF_INET, SOCK_DGRAM_CLOEXEC, 0) as number,
    "socket", "AF_INET");
  try {
    // struct ifreq: the name, then ifr_flags (a short) at offset 16.
    const ifr = Buffer.alloc(40);
    ifr.write(name, 0, "utf8");
    check(link.ioctl(fd, SIOCGIFFLAGS, ifr) as number,
      "ioctl(SIOCGIFFLAGS)", `link '${name}'`);
    ifr.writeInt16LE(ifr.readInt16LE(IFNAMSIZ) | IFF_UP, IFNAMSIZ);
    check(link.ioctl(fd, SIOCSIFFLAGS, ifr) as number,
      "ioctl(SIOCSIFFLAGS)", `link '${name}'`);
  } finally {
    link.close(fd);
  }
}

// The controlling terminal's foreground process group, for the REPL.
const tty = lazy(() => ({
  tcgetpgrp: fn("int tcgetpgrp(int fd)"),
  tcsetpgrp: fn("int tcsetpgrp(int fd, int pgrp)"),
  getpgrp: fn("int getpgrp(void)"),
}));

/**
 * Makes nsrepl's process group the terminal's foreground group again.
 * A program that did its own job control (an interactive shell) may have
 * left its own group in front; from the background, tcsetpgrp would stop
 * nsrepl with SIGTTOU unless that signal is blocked, so it is.
 */
export function reclaimTerminal(fd: number): void {
  const mine = tty.getpgrp() as number;
  if (tty.tcgetpgrp(fd) === mine) return;
  withSignalsBlocked(() => tty.tcsetpgrp(fd, mine));
}

const F_GETFL = 3;
const F_SETFL = 4;
const O_NONBLOCK = 0o4000;

/**
 * Sets or clears O_NONBLOCK on `fd`; returns whether it was set. libuv
 * puts the terminal in non-blocking mode, and the flag lives on the open
 * file that a program started from the REPL shares: shells complain and
 * other programs fail with EAGAIN unless it is cleared for them.
 */
export function setNonBlocking(fd: number, on: boolean): boolean {
  const flags = c.fcntl(fd, F_GETFL) as number;
  if (flags === -1) return false;
  const next = on ? flags | O_NONBLOCK : flags & ~O_NONBLOCK;
  if (next !== flags) c.fcntl(fd, F_SETFL, "int", next);
  return (flags & O_NONBLOCK) !== 0;
}
