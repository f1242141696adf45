// The parent's side of a launch protocol: blocking reads of a child's
// reports, the id maps nsrepl writes for it, what nsrepl's signal
// dispositions look like to a child, and the small pieces around them.

import { closeSync, openSync, readSync, writeFileSync, writeSync } from
  "node:fs";
import type { IdMaps, LaunchSpec, MapEntry } from "./types.js";
import type { Report } from "./chain.js";
import { fromNodeError, SyscallError } from "./errors.js";
import { cstringBytes } from "./arena.js";
import { envSummary } from "./images.js";
import { PATH_BYTES } from "./program-stage.js";
import { trace } from "./trace.js";

/**
 * Reads exactly `length` bytes, or fewer at EOF. Blocking is fine: the
 * child writes at once, and if it dies its write end closes and EOF comes.
 */
export function readExact(fd: number, length: number): Buffer {
  const buf = Buffer.alloc(length);
  let got = 0;
  while (got < length) {
    const n = readRetrying(fd, buf, got, length - got);
    if (n === 0) break;
    got += n;
  }
  return buf.subarray(0, got);
}

// Node's handlers use SA_RESTART, but a signal without one must not turn
// into a failed launch.
function readRetrying(fd: number, buf: Buffer, at: number, n: number) {
  for (;;) {
    try {
      return readSync(fd, buf, at, n, null);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EINTR") throw err;
    }
  }
}

/** Throws the SyscallError of the first step whose errno slot is set. */
export function checkReport(buf: Buffer, report: Report): void {
  report.steps.forEach((step, i) => {
    const errno = buf.readUInt32LE(4 + 4 * i);
    if (errno !== 0) {
      throw new SyscallError(step.op, step.object, errno, step.kind);
    }
  });
}

/** Writes to a pipe; false if the reader is gone (EPIPE). */
export function writePipe(fd: number, data: Uint8Array): boolean {
  try {
    writeSync(fd, data);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EPIPE") return false;
    throw err;
  }
}

/** Closes `fd` if it is open; returns -1 to store back. */
export function closeFd(fd: number): number {
  if (fd >= 0) closeSync(fd);
  return -1;
}

const mapText = (entries: MapEntry[]) =>
  entries.map((e) => `${e.inside} ${e.outside} ${e.count}\n`).join("");

/**
 * Writes `pid`'s setgroups, uid_map and gid_map, in that order: the kernel
 * refuses a gid_map from an unprivileged writer until setgroups is denied.
 */
export function writeMaps(pid: number, maps: IdMaps): void {
  writeProc(pid, "setgroups", maps.setgroups);
  if (maps.uid.length > 0) writeProc(pid, "uid_map", mapText(maps.uid));
  if (maps.gid.length > 0) writeProc(pid, "gid_map", mapText(maps.gid));
}

function writeProc(pid: number, file: string, text: string): void {
  const path = `/proc/${pid}/${file}`;
  try {
    // One write(2): a map is accepted whole or not at all.
    writeFileSync(path, text);
    trace(process.pid, `write ${path} ${JSON.stringify(text)}`, "0");
  } catch (err) {
    throw fromNodeError("write", path, err, "user");
  }
}

/** SIGKILL and SIGSTOP cannot be changed; 32 and 33 belong to glibc. */
export const UNTOUCHABLE = new Set([9, 19, 32, 33]);

// Kept open and read with pread from offset 0: procfs makes the text
// anew on each read.
let statusFd = -1;
const statusBuf = Buffer.alloc(4096);

function ownStatus(): string {
  if (statusFd < 0) statusFd = openSync("/proc/self/status", "r");
  const n = readSync(statusFd, statusBuf, 0, statusBuf.length, 0);
  return statusBuf.toString("latin1", 0, n);
}

// A 64-bit mask in hex, like SigCgt's, as two 32-bit halves: high, low.
function sigMask(status: string, field: string): [number, number] {
  const at = status.indexOf(`\n${field}:\t`);
  if (at < 0) return [0, 0];
  const hex = status.slice(at + field.length + 3, at + field.length + 19);
  return [parseInt(hex.slice(0, 8), 16), parseInt(hex.slice(8), 16)];
}

/**
 * Signals that nsrepl ignores or catches. A child inherits both; ignored
 * ones even survive execve, and a caught one would run Node's handler.
 */
export function nonDefaultSignals(): number[] {
  if (!watching) watchListeners();
  if (!known) known = [...new Set([...readDispositions(), SIGCHLD])];
  return known;
}

// Node installs or removes a handler when the first listener for a signal
// is added or the last one removed (a script's, the REPL's): the list is
// read again after either. The one handler that comes without a listener
// is libuv's SIGCHLD, at its first child process: it is always reset.
let known: number[] | null = null;
let watching = false;
const SIGCHLD = 17;

function watchListeners(): void {
  watching = true;
  const changed = (event: string | symbol) => {
    if (typeof event === "string" && event.startsWith("SIG")) known = null;
  };
  process.on("newListener", changed);
  process.on("removeListener", changed);
}

function readDispositions(): number[] {
  const status = ownStatus();
  const [ih, il] = sigMask(status, "SigIgn");
  const [ch, cl] = sigMask(status, "SigCgt");
  const [high, low] = [(ih | ch) >>> 0, (il | cl) >>> 0];
  const found: number[] = [];
  for (let signo = 1; signo <= 64; signo++) {
    const word = signo <= 32 ? low : high;
    const bit = (word >>> ((signo - 1) % 32)) & 1;
    if (bit && !UNTOUCHABLE.has(signo)) found.push(signo);
  }
  return found;
}

/** The path for the release gate, NUL-terminated, checked for size. */
export function gatePath(path: string): Buffer {
  const bytes = Buffer.from(path + "\0");
  if (bytes.length > PATH_BYTES - 1 || path.includes("\0")) {
    throw new SyscallError("execve", path, 36 /* ENAMETOOLONG */);
  }
  return bytes;
}

/** Bytes of arena a launch of `spec` needs, with room to spare. */
export function arenaBytes(spec: LaunchSpec): number {
  const texts = [...(spec.argv ?? []), spec.cwd ?? "",
    spec.root ?? "", spec.hostname ?? "",
    ...Object.values(spec.join).map((h) => h?.path ?? "")];
  return cstringBytes(texts) + envSummary(spec.env).bytes + (512 << 10);
}

// "clone(user,pid): ENOSPC ..." names what was being created; the rule
// for a limit or a refusal is most likely about the user namespace.
/** clone's SyscallError, named after the namespaces it was creating. */
export function cloneError(err: unknown, spec: LaunchSpec): unknown {
  if (!(err instanceof SyscallError)) return err;
  const kinds = spec.create;
  const kind = kinds.length === 1 ? kinds[0]
    : kinds.includes("user") ? "user" : undefined;
  const op = kinds.length ? `clone(${kinds.join(",")})` : "clone";
  return new SyscallError(op, "", err.errno, kind);
}
