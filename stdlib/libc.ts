// The one module that loads koffi. It declares every libc function nsrepl
// uses, and exposes small typed wrappers that throw SyscallError on -1.
//
// Two sorts of function live here. The parent calls a few itself (mmap,
// clone, pipe2, waitpid...). The others are only ever run by a new process
// through its call chain (see chain.ts): nsrepl takes their addresses and
// never calls them, because setns or unshare in the Node process would move
// one thread of a multithreaded process, which the kernel refuses or makes
// meaningless (../shared/design/runtime.md).

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type koffiModule from "koffi";
import { SyscallError } from "./errors.js";
import { selfFile } from "./self.js";

// Loading koffi and resolving libc costs tens of milliseconds; a script
// that starts no process (or `--help`) should not pay it. Each object
// below is made on first use.
// Every member is bound once, on first use: the launcher calls these
// functions a dozen times per process it starts.
function lazy<T extends object>(make: () => T): T {
  let value: T | undefined;
  const bound = new Map<string | symbol, unknown>();
  return new Proxy({} as T, {
    get(_, key) {
      if (bound.has(key)) return bound.get(key);
      value ??= make();
      const v = Reflect.get(value, key);
      const member = typeof v === "function" ? v.bind(value) : v;
      bound.set(key, member);
      return member;
    },
  });
}

const koffi = lazy(() =>
  createRequire(selfFile())("koffi") as typeof koffiModule);
const lib = lazy(() => koffi.load("libc.so.6"));

const fn = (proto: string) => lib.func(proto);

// Called by nsrepl itself.
const c = lazy(() => ({
  dlsym: fn("uintptr_t dlsym(uintptr_t handle, const char *name)"),
  errnoLocation: fn("uintptr_t __errno_location(void)"),
  pthreadSelf: fn("uintptr_t pthread_self(void)"),
  staticTlsInfo: fn("void _dl_get_tls_static_info(_Out_ size_t *size, " +
    "_Out_ size_t *align)"),
  mmap: fn("uintptr_t mmap(uintptr_t addr, size_t len, int prot, " +
    "int flags, int fd, int64_t off)"),
  munmap: fn("int munmap(uintptr_t addr, size_t len)"),
  madvise: fn("int madvise(uintptr_t addr, size_t len, int advice)"),
  poll: fn("int poll(_Inout_ uint8_t *fds, ulong nfds, int timeout)"),
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
  chroot: "int chroot(uintptr_t path)",
  setns: "int setns(int fd, int nstype)",
  unshare: "int unshare(int flags)",
  clone: "int clone(uintptr_t fn, uintptr_t stack, int flags, " +
    "uintptr_t arg, uintptr_t ptid, uintptr_t tls, uintptr_t ctid)",
  mount: "int mount(uintptr_t source, uintptr_t target, uintptr_t type, " +
    "ulong flags, uintptr_t data)",
  sethostname: "int sethostname(uintptr_t name, size_t len)",
  setpgid: "int setpgid(int pid, int pgid)",
  setsid: "int setsid(void)",
  rmdir: "int rmdir(uintptr_t path)",
  pread: "intptr_t pread(int fd, uintptr_t buf, size_t count, " +
    "intptr_t offset)",
  poll: "int poll(uintptr_t fds, ulong nfds, int timeout)",
  prctl: "int prctl(int option, ...)",
  signal: "uintptr_t signal(int signum, uintptr_t handler)",
  execve: "int execve(uintptr_t path, uintptr_t argv, uintptr_t envp)",
  memset: "uintptr_t memset(uintptr_t s, int c, size_t n)",
  memcpy: "uintptr_t memcpy(uintptr_t dest, uintptr_t src, size_t n)",
  strcat: "uintptr_t strcat(uintptr_t dest, uintptr_t src)",
  _exit: "void _exit(int status)",
  stat: "int stat(uintptr_t path, uintptr_t buf)",
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

/**
 * errno's address in a new process: in the thread area it starts with
 * (childThreadPointer), not the main thread's.
 */
export function errnoAddress(): number {
  return childThreadArea().errno;
}

/** The thread pointer a new process starts with (clone's CLONE_SETTLS). */
export function childThreadPointer(): number {
  return childThreadArea().tp;
}

interface ThreadArea {
  tp: number;
  errno: number;
  /** The copy's mapping. */
  base: number;
  length: number;
  /** The main thread's own static TLS and descriptor: [start, end). */
  main: [number, number];
}
let threadArea: ThreadArea | undefined;

// A process that shares nsrepl's memory (sharing.ts) and kept the main
// thread's thread pointer would share its errno too: a syscall failing in
// nsrepl at the wrong moment would change what a step reports, and one
// that clears errno could turn a failed setns into a success. So every
// new process gets its own copy of the main thread's static TLS and
// thread descriptor, made once. glibc on x86-64 puts the descriptor at the
// thread pointer and the TLS blocks just below it (TLS_TCB_AT_TP), and
// finds itself through the two self pointers at offsets 0 and 16; errno
// is at a fixed offset from the thread pointer.
function childThreadArea(): ThreadArea {
  if (threadArea) return threadArea;
  if (process.arch !== "x64") {
    throw new Error(`no thread area layout for ${process.arch}`);
  }
  const size = [0];
  const align = [0];
  c.staticTlsInfo(size, align);
  const descriptorSym = c.dlsym(0, "_thread_db_sizeof_pthread") as number;
  if (!descriptorSym) {
    throw new Error("libc.so.6 has no _thread_db_sizeof_pthread");
  }
  const descriptor = koffi.decode(descriptorSym, "uint32_t") as number;
  const below = size[0] - descriptor;
  const offset = Math.ceil(below / align[0]) * align[0];
  const length = Math.ceil((offset + descriptor) / 4096) * 4096;
  const tp = c.pthreadSelf() as number;
  const base = mapMemory(length);
  const copy = new Uint8Array(memoryView(base, length));
  copy.set(new Uint8Array(memoryView(tp - below, size[0])), offset - below);
  const view = new DataView(copy.buffer);
  view.setBigUint64(offset, BigInt(base + offset), true);
  view.setBigUint64(offset + 16, BigInt(base + offset), true);
  const errno = base + offset - (tp - (c.errnoLocation() as number));
  threadArea = { tp: base + offset, errno, base, length,
    main: [tp - below, tp + descriptor] };
  return threadArea;
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
const MAP_SHARED_ANONYMOUS = 0x21;

/** Maps `length` bytes of zeroed private memory that nsrepl owns. */
export function mapMemory(length: number,
  flags = MAP_PRIVATE_ANONYMOUS): number {
  const addr = c.mmap(0, length, PROT_READ_WRITE, flags, -1, 0) as number;
  // MAP_FAILED is (void *)-1, which a uintptr_t reads as 2^64 - 1.
  if (addr === -1 || addr >= 2 ** 63) {
    throw new SyscallError("mmap", `${length} bytes`, koffi.errno());
  }
  return addr;
}

/** As mapMemory, but shared with the children of a fork. */
export function mapSharedMemory(length: number): number {
  return mapMemory(length, MAP_SHARED_ANONYMOUS);
}

/**
 * Which of `fds` poll readable (a pidfd does once its process has ended),
 * waiting up to `timeout` ms for one (-1: for ever).
 */
export function pollReadable(fds: number[], timeout: number): boolean[] {
  const buf = Buffer.alloc(8 * fds.length);
  fds.forEach((fd, i) => {
    buf.writeInt32LE(fd, 8 * i);
    buf.writeInt16LE(POLLIN, 8 * i + 4);
  });
  for (;;) {
    const n = c.poll(buf, fds.length, timeout) as number;
    if (n === -1 && koffi.errno() === EINTR) continue;
    check(n, "poll", `fds ${fds.join(", ")}`);
    return fds.map((_, i) => (buf.readInt16LE(8 * i + 6) & POLLIN) !== 0);
  }
}

const POLLIN = 1;

/** The pid a pidfd refers to, in nsrepl's pid namespace. */
export function pidOfPidfd(pidfd: number): number {
  const text = readFileSync(`/proc/self/fdinfo/${pidfd}`, "latin1");
  return Number(/^Pid:\s*(-?\d+)/m.exec(text)?.[1] ?? -1);
}

/**
 * madvise(2) over [start, end); ENOMEM, for unmapped gaps in the range,
 * is no error: the advice still applies to every mapping in it.
 */
export function adviseRange(start: number, end: number, advice: number) {
  const r = c.madvise(start, end - start, advice) as number;
  if (r === -1 && koffi.errno() !== ENOMEM) {
    throw new SyscallError("madvise", `${end - start} bytes`, koffi.errno());
  }
}

const ENOMEM = 12;

/**
 * What of nsrepl's memory the thread area concerns, [start, end) each:
 * the copy's mapping, and the main thread's own area, where the kernel
 * still writes a forked child's rseq fields (its registration is
 * inherited by a fork, and points into the descriptor).
 */
export function threadAreaRanges(): Array<[number, number]> {
  const area = childThreadArea();
  return [[area.base, area.base + area.length], area.main];
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
  arg: number, parentTid: number, tls = 0): number {
  return check(c.clone(func, stackTop, flags, arg, parentTid, tls,
    0) as number, "clone", "a new process");
}

const O_CLOEXEC = 0o2000000;

/** A pipe, both ends close-on-exec: [read end, write end]. */
export function pipe(): [number, number] {
  check(c.pipe2(pipeFds, O_CLOEXEC) as number, "pipe2", "a new pipe");
  return [pipeFds[0], pipeFds[1]];
}

// Out-parameters of calls that finish before the next one: no garbage
// per launch (the main thread only; values are copied out at once).
const pipeFds = new Int32Array(2);
const waitStatus = new Int32Array(1);

const SIG_SETMASK = 2;
const allSignals = Buffer.alloc(128, 0xff);

/**
 * Runs `f` with every signal blocked in the calling thread, so that a
 * clone made inside cannot run one of Node's handlers before its chain
 * installs its own mask.
 */
export function withSignalsBlocked<T>(f: () => T): T {
  // Calls may nest: a saved mask per depth, kept from one call to the next.
  const saved = savedMasks[depth] ??= Buffer.alloc(128);
  check(c.sigprocmask(SIG_SETMASK, allSignals, saved) as number,
    "sigprocmask", "all signals");
  depth++;
  try {
    return f();
  } finally {
    depth--;
    c.sigprocmask(SIG_SETMASK, saved, null);
  }
}

const savedMasks: Buffer[] = [];
let depth = 0;

const WNOHANG = 1;

/** Reaps `pid` (never -1: that would steal libuv's children). */
export function waitpid(pid: number, block: boolean): number | null {
  for (;;) {
    const got = c.waitpid(pid, waitStatus, block ? 0 : WNOHANG) as number;
    if (got === -1 && koffi.errno() === EINTR) continue;
    check(got, "waitpid", `pid ${pid}`);
    return got === 0 ? null : waitStatus[0];
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
const F_GETFD = 1;

/** Whether `fd` is an open descriptor. */
export function isOpen(fd: number): boolean {
  return (c.fcntl(fd, F_GETFD) as number) !== -1;
}
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

// How namespaces relate (ioctl_ns(2)), for listings and trees. Each of
// the fd-returning ioctls hands back a new fd that the caller must close.
const NS_GET_USERNS = 0xb701;
const NS_GET_PARENT = 0xb702;
const NS_GET_OWNER_UID = 0xb704;
const EPERM = 1;

const nsRelations = lazy(() => ({
  ioctlUid: lib.func("ioctl", "int", ["int", "ulong", "_Out_ uint32_t *"]),
}));

// EPERM means the answer lies outside the caller's user namespace scope:
// from where nsrepl stands, the namespace has no owner or parent.
function relatedNs(fd: number, request: number, op: string,
  object: string): number | null {
  const got = c.ioctl(fd, request) as number;
  if (got === -1 && koffi.errno() === EPERM) return null;
  return check(got, op, object);
}

/** An fd for the user namespace that owns `fd`'s; null outside scope. */
export function nsOwnerFd(fd: number, object: string): number | null {
  return relatedNs(fd, NS_GET_USERNS, "ioctl(NS_GET_USERNS)", object);
}

/** An fd for the parent of a user or pid namespace; null at the root. */
export function nsParentFd(fd: number, object: string): number | null {
  return relatedNs(fd, NS_GET_PARENT, "ioctl(NS_GET_PARENT)", object);
}

/** The uid that created the user namespace `fd` refers to. */
export function nsOwnerUid(fd: number, object: string): number {
  const uid = new Uint32Array(1);
  check(nsRelations.ioctlUid(fd, NS_GET_OWNER_UID, uid) as number,
    "ioctl(NS_GET_OWNER_UID)", object);
  return uid[0];
}

// Netlink sockets and mounts. A socket belongs to the network namespace
// of the process that opens it, and mount(2) acts on the caller's mount
// namespace: helper jobs call these from inside the session's namespaces,
// and nsrepl itself only to persist a namespace in its own (the host's).
const sys = lazy(() => ({
  socket: fn("int socket(int domain, int type, int protocol)"),
  sendto: lib.func("sendto", "intptr_t",
    ["int", "uint8_t *", "size_t", "int", "uint8_t *", "uint32_t"]),
  recv: lib.func("recv", "intptr_t", ["int", "uint8_t *", "size_t", "int"]),
  close: fn("int close(int fd)"),
  ifNameToIndex: fn("uint32_t if_nametoindex(const char *name)"),
  mount: lib.func("mount", "int", ["const char *", "const char *",
    "const char *", "ulong", "const char *"]),
  umount2: fn("int umount2(const char *target, int flags)"),
  statvfs: lib.func("statvfs", "int", ["const char *", "uint8_t *"]),
}));

const NL_AF_NETLINK = 16;
const NL_SOCK_RAW_CLOEXEC = 3 | 0o2000000;
const NL_NETLINK_ROUTE = 0;

/** A NETLINK_ROUTE socket in the caller's network namespace. */
export function netlinkOpen(): number {
  return check(sys.socket(NL_AF_NETLINK, NL_SOCK_RAW_CLOEXEC,
    NL_NETLINK_ROUTE) as number, "socket", "AF_NETLINK");
}

/** Sends one request to the kernel (sockaddr_nl with nl_pid 0). */
export function netlinkSend(fd: number, msg: Buffer, op: string,
  object: string): void {
  const kernel = Buffer.alloc(12);
  kernel.writeUInt16LE(NL_AF_NETLINK, 0);
  check(sys.sendto(fd, msg, msg.length, 0, kernel, 12) as number, op,
    object);
}

/** Receives one datagram of replies into `buf`; returns its length. */
export function netlinkRecv(fd: number, buf: Buffer, op: string,
  object: string): number {
  for (;;) {
    const n = sys.recv(fd, buf, buf.length, 0) as number;
    if (n === -1 && koffi.errno() === EINTR) continue;
    return check(n, op, object);
  }
}

/** Closes an fd these functions opened. */
export function closeFd(fd: number): void {
  sys.close(fd);
}

/** The index of link `name` in the caller's network namespace. */
export function linkIndex(name: string): number {
  const index = sys.ifNameToIndex(name) as number;
  if (index === 0) {
    throw new SyscallError("if_nametoindex", `link '${name}'`, koffi.errno());
  }
  return index;
}

/** mount(2); `object` names the mount in an error. */
export function mountAt(source: string | null, target: string,
  type: string | null, flags: number, data: string | null,
  object: string): void {
  check(sys.mount(source, target, type, flags, data) as number, "mount",
    object);
}

/** umount2(2) of `target`; `object` names it in an error. */
export function unmountAt(target: string, flags: number,
  object = target): void {
  check(sys.umount2(target, flags) as number, "umount", object);
}

// struct statvfs on LP64 glibc (x86-64 and aarch64): eight 8-byte counts
// and f_fsid, then f_flag at byte 72.
const STATVFS_BYTES = 112;
const STATVFS_FLAG = 72;

/** The ST_* flags of the mount `path` is on, as statvfs(3) reports. */
export function mountFlags(path: string): number {
  const buf = Buffer.alloc(STATVFS_BYTES);
  check(sys.statvfs(path, buf) as number, "statvfs", path);
  return Number(buf.readBigUInt64LE(STATVFS_FLAG));
}

// Job control for the REPL: a foreground program leads a process group of
// its own, which nsrepl puts in front on the terminal, and nsrepl puts the
// terminal's modes back once it has the terminal again.
const jobs = lazy(() => ({
  setpgid: fn("int setpgid(int pid, int pgid)"),
  tcgetattr: fn("int tcgetattr(int fd, _Out_ uint8_t *termios)"),
  tcsetattr: fn("int tcsetattr(int fd, int action, const uint8_t *termios)"),
}));

// glibc's struct termios is 60 bytes on x86-64 and aarch64.
const TERMIOS_BYTES = 64;
const TCSANOW = 0;

/** Makes child `pid` the leader of a process group of its own. */
export function setOwnProcessGroup(pid: number): void {
  check(jobs.setpgid(pid, pid) as number, "setpgid", `pid ${pid}`);
}

/**
 * Makes process group `pgrp` the foreground group of terminal `fd`. nsrepl
 * may be in the background by then, where tcsetpgrp would stop it with
 * SIGTTOU: the signal is blocked meanwhile.
 */
export function giveTerminal(fd: number, pgrp: number): void {
  const r = withSignalsBlocked(() => tty.tcsetpgrp(fd, pgrp) as number);
  check(r, "tcsetpgrp", `process group ${pgrp}`);
}

/** Whether nsrepl's process group is in front on terminal `fd`. */
export function ownsTerminal(fd: number): boolean {
  return tty.tcgetpgrp(fd) === tty.getpgrp();
}

/** The modes (struct termios) of terminal `fd`; null if not a terminal. */
export function terminalModes(fd: number): Buffer | null {
  const modes = Buffer.alloc(TERMIOS_BYTES);
  return jobs.tcgetattr(fd, modes) === 0 ? modes : null;
}

/** Sets modes from terminalModes back, SIGTTOU blocked as above. */
export function setTerminalModes(fd: number, modes: Buffer): void {
  const r = withSignalsBlocked(() =>
    jobs.tcsetattr(fd, TCSANOW, modes) as number);
  check(r, "tcsetattr", `fd ${fd}`);
}

const links = lazy(() => ({
  readlinkat: fn("intptr_t readlinkat(int dirfd, const char *path, " +
    "_Out_ uint8_t *buf, size_t size)"),
}));

/** The target of the symbolic link an O_PATH|O_NOFOLLOW `fd` holds. */
export function readLinkFd(fd: number, object: string): string {
  const buf = Buffer.alloc(4096);
  // An empty path reads the link `fd` itself refers to (Linux 2.6.39).
  const n = check(links.readlinkat(fd, "", buf, buf.length) as number,
    "readlinkat", object);
  return buf.subarray(0, n).toString("utf8");
}
