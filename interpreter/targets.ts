// What a script can name as a namespace target — a pid, a process value,
// a namespace set, an ns file path, a /run/netns name, `host` — turned
// into namespace sets (for `ns` and `compare`) and into open handles (for
// `setns`).

import { closeSync, openSync, readFileSync, readlinkSync } from "node:fs";
import type { Loc } from "../grammar/ast.js";
import type { KindName } from "../stdlib/kinds.js";
import { KIND_NAMES, KINDS, kindByFlag } from "../stdlib/kinds.js";
import type { SyscallError } from "../stdlib/errors.js";
import { nsType } from "../stdlib/libc.js";
import type { NsHandle } from "../stdlib/types.js";
import {
  closeNs, openNs, openPidfdNs, pidfdOpen,
} from "../stdlib/nsfiles.js";
import { ScriptError } from "./errors.js";
import type { Session } from "./session.js";
import type { Value } from "./values.js";
import {
  NamespaceSetValue, NamespaceValue, ProcessValue, isCallable, typeOf,
} from "./values.js";

/**
 * A namespace set read from /proc/PID/ns (pid and time as the process is
 * in); the kinds in `known` are taken from there instead of read.
 */
export function processNamespaces(pid: number, label?: string,
  known: Partial<Record<KindName, number>> = {}): NamespaceSetValue {
  const kinds = {} as Record<KindName, NamespaceValue | null>;
  for (const k of KINDS) {
    const inode = known[k.name];
    kinds[k.name] = inode !== undefined ? namespaceValue(k.name, inode)
      : readNs(`/proc/${pid}/ns/${k.file}`, k.name);
  }
  return new NamespaceSetValue(label ?? `process ${pid}`, kinds, pid);
}

// The processes of a session are mostly in the same namespaces: the value
// made last for each kind is handed out again while the inode is the
// same, instead of eight new ones per spawn. A namespace value never
// changes, and == compares kind and inode.
const lastMade: Partial<Record<KindName, NamespaceValue>> = {};

function namespaceValue(kind: KindName, inode: number): NamespaceValue {
  const last = lastMade[kind];
  if (last?.inode === inode) return last;
  return (lastMade[kind] = new NamespaceValue(kind, inode));
}

/** The session's or host's set, from handles (pid, time: for children). */
export function handleNamespaces(
  label: string, handle: (kind: KindName) => NsHandle,
): NamespaceSetValue {
  const kinds = {} as Record<KindName, NamespaceValue | null>;
  for (const kind of KIND_NAMES) {
    kinds[kind] = namespaceValue(kind, handle(kind).inode);
  }
  return new NamespaceSetValue(label, kinds);
}

function readNs(path: string, kind: KindName): NamespaceValue | null {
  try {
    const match = /\[(\d+)\]$/.exec(readlinkSync(path));
    return match ? namespaceValue(kind, Number(match[1])) : null;
  } catch {
    return null;
  }
}

/** The namespace set a value names, for `ns` and `compare`. */
export function namespacesOf(v: Value, session: Session, loc: Loc): NamespaceSetValue {
  if (v instanceof NamespaceSetValue) return v;
  if (v instanceof ProcessValue) {
    return v.running ? processNamespaces(v.pid, v.namespaces.label) : v.namespaces;
  }
  if (typeof v === "number") return livePid(v, loc);
  if (v === "session" || isSessionBuiltin(v)) {
    return handleNamespaces("session", (k) => session.handle(k));
  }
  const msg = `cannot show the namespaces of ${typeOf(v)}: ` +
    "give a pid, a process, host or session";
  throw new ScriptError(msg, loc);
}

/** Whether `ns` and `compare` take `v` (what namespacesOf accepts). */
export function showable(v: Value): boolean {
  return v instanceof NamespaceSetValue || v instanceof ProcessValue ||
    typeof v === "number" || v === "session" || isSessionBuiltin(v);
}

/** Whether `setns` takes `v` (what openTarget accepts). */
export function joinable(v: Value): boolean {
  if (typeof v === "number") return Number.isInteger(v) && v > 0;
  if (v instanceof ProcessValue) return v.running;
  if (v instanceof NamespaceSetValue) {
    return v.label === "host" || v.pid !== null;
  }
  return typeof v === "string";
}

// `ns session` reads as well as `ns "session"`; the name is a builtin
// (session() is the same set), so the function stands for its value.
function isSessionBuiltin(v: Value): boolean {
  return isCallable(v) && v.name === "session";
}

function livePid(pid: number, loc: Loc): NamespaceSetValue {
  const set = processNamespaces(pid, pidLabel(pid));
  if (Object.values(set.kinds).every((ns) => ns === null)) {
    throw new ScriptError(`no process ${pid} (or its namespaces are hidden from nsrepl)`, loc);
  }
  return set;
}

// A bare pid is named with its program, so that `ns 4242` shows whether
// 4242 is the process one meant.
function pidLabel(pid: number): string {
  try {
    const comm = readFileSync(`/proc/${pid}/comm`, "utf8").trim();
    return comm ? `process ${pid} (${comm})` : `process ${pid}`;
  } catch {
    return `process ${pid}`;
  }
}

/**
 * Opens the handles `setns TARGET [KINDS]` joins. Without kinds: every
 * kind that differs from the session's, which is what `nsenter -a` does
 * and also avoids setns into the user namespace one is already in
 * (EINVAL from the kernel).
 */
export function openTarget(
  target: Value, kinds: KindName[], session: Session, loc: Loc,
): Partial<Record<KindName, NsHandle>> {
  if (target instanceof NamespaceSetValue && target.label === "host") {
    return pick(kinds, (k) => session.own[k]);
  }
  if (typeof target === "string") return openPath(target, kinds, loc);
  const pid = targetPid(target, loc);
  const own = target instanceof ProcessValue ? target.child.pidfd : -1;
  const opened = openPid(pid, own, kinds, loc);
  return dropUnchanged(opened, kinds, session);
}

function pick(
  kinds: KindName[], get: (k: KindName) => NsHandle,
): Partial<Record<KindName, NsHandle>> {
  const out: Partial<Record<KindName, NsHandle>> = {};
  for (const k of kinds.length ? kinds : KIND_NAMES) out[k] = get(k);
  return out;
}

function targetPid(target: Value, loc: Loc): number {
  if (typeof target === "number" && Number.isInteger(target) && target > 0) {
    return target;
  }
  if (target instanceof ProcessValue) {
    if (!target.running) {
      throw new ScriptError(`process ${target.pid} has exited: its namespaces are gone with it`, loc, goneNotes(), "runtime", "ESRCH");
    }
    return target.pid;
  }
  if (target instanceof NamespaceSetValue && target.pid !== null) return target.pid;
  const msg = `cannot join ${typeOf(target)}: give a pid, a process, ` +
    "host, a namespace file path or a /run/netns name";
  throw new ScriptError(msg, loc);
}

// Joins go through a pidfd: for a process value the one the launcher got
// at clone time, for a bare pid one opened now. Either way every kind is
// read from the same process, even if the pid is reused meanwhile.
function openPid(pid: number, pidfd: number, kinds: KindName[], loc: Loc) {
  const owned = pidfd < 0;
  const out: Partial<Record<KindName, NsHandle>> = {};
  try {
    if (owned) pidfd = pidfdOpen(pid);
    for (const k of kinds.length ? kinds : KIND_NAMES) {
      out[k] = openPidfdNs(pidfd, k, `/proc/${pid}/ns/${k}`);
    }
    return out;
  } catch (error) {
    for (const h of Object.values(out)) closeNs(h);
    throw goneOr(error, pid, loc);
  } finally {
    if (owned && pidfd >= 0) closeSync(pidfd);
  }
}

/** Why a target that has exited cannot be joined, and what to do. */
function goneNotes(): string[] {
  return [
    "a namespace lives on only while a process, an open file or a bind " +
    "mount holds it; a pid names nothing once its process has exited",
    "namespaces() lists the live ones with a pid to join; to keep one, " +
    "hold it (`let h = clone net`) or persist(kind, path)",
  ];
}

function goneOr(error: unknown, pid: number, loc: Loc): unknown {
  const code = (error as { code?: string }).code;
  if (code === "ESRCH" || code === "ENOENT") {
    const msg = `no process ${pid}: it has exited, or never existed`;
    return new ScriptError(msg, loc, goneNotes(), "runtime", "ESRCH");
  }
  return noSuchTarget(error, `/proc/${pid}/ns`, loc);
}

function dropUnchanged(
  opened: Partial<Record<KindName, NsHandle>>, kinds: KindName[],
  session: Session,
): Partial<Record<KindName, NsHandle>> {
  if (kinds.length) return opened;
  for (const [kind, h] of Object.entries(opened) as [KindName, NsHandle][]) {
    if (h.inode !== session.handle(kind).inode) continue;
    closeNs(h);
    delete opened[kind];
  }
  return opened;
}

/** An ns file (`/proc/1/ns/net`, a bind mount) or a /run/netns name. */
function openPath(target: string, kinds: KindName[], loc: Loc) {
  const path = target.includes("/") ? target : netnsPath(target, loc);
  const kind = kindOfFile(path, loc);
  if (kinds.length && !(kinds.length === 1 && kinds[0] === kind)) {
    throw new ScriptError(`'${path}' is a ${kind} namespace, not ${kinds.join(", ")}`, loc);
  }
  try {
    return { [kind]: openNs(path, kind) };
  } catch (error) {
    throw noSuchTarget(error, path, loc);
  }
}

function netnsPath(name: string, loc: Loc): string {
  if (name === "" || name === "." || name === "..") {
    throw new ScriptError(`'${name}' is not a network namespace name`, loc);
  }
  return `/run/netns/${name}`;
}

// Asked of the namespace itself (NS_GET_NSTYPE): a bind mount of a
// namespace file — a /run/netns name, a persisted file — reads back
// through /proc/self/fd as its own path, not as `net:[4026531840]`.
function kindOfFile(path: string, loc: Loc): KindName {
  let flag: number;
  try {
    const fd = openSync(path, "r");
    try {
      flag = nsType(fd, path);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    if ((error as SyscallError).code !== "ENOTTY") {
      throw noSuchTarget(error, path, loc);
    }
    throw new ScriptError(`'${path}' is not a namespace file`, loc);
  }
  return kindByFlag(flag)!.name;
}

function noSuchTarget(error: unknown, path: string, loc: Loc): ScriptError {
  const code = (error as NodeJS.ErrnoException).code ?? null;
  if (code === "ENOENT") {
    return new ScriptError(`no such namespace: '${path}' does not exist`, loc, [], "runtime", code);
  }
  const text = error instanceof Error ? error.message : String(error);
  const notes = code === "EACCES" || code === "EPERM" ? deniedNotes() : [];
  return new ScriptError(`cannot open '${path}': ${text}`, loc, notes, "runtime", code);
}

// The kernel opens a process's namespaces (/proc/PID/ns, PIDFD_GET_NS)
// only for whoever may ptrace it, in PTRACE_MODE_READ.
function deniedNotes(): string[] {
  return [
    "a process's namespaces open only for a process allowed to trace " +
    "it: the same user, or one with CAP_SYS_PTRACE",
    "run nsrepl as root (or as the process's user) to look in or join",
  ];
}
