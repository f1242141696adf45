// Finding every namespace on the system, the way lsns does, and the ones
// lsns 2.38 misses: a namespace lives as long as anything refers to it —
// a process in it, a bind mount of its nsfs file, an open fd — so all
// three are scanned. What nsrepl may not read (another user's processes
// when unprivileged, a process the kernel hides) is counted, not guessed.

import { readdirSync, readFileSync, readlinkSync, statSync } from "node:fs";
import type { KindName } from "./kinds.js";
import { KINDS, kindByName } from "./kinds.js";

/** What keeps a namespace alive, besides the processes in it. */
export type Holder =
  | { type: "mount"; path: string; pid: number; mnt: number | null }
  | { type: "fd"; pid: number; fd: number; command: string }
  | { type: "owner"; of: string }
  | { type: "parent"; of: string };

/** One namespace, as the scan and the ioctls found it. */
export interface NsRecord {
  kind: KindName;
  inode: number;
  /** Processes in it, lowest first. */
  pids: number[];
  /** The command line of the lowest pid. */
  command: string | null;
  holders: Holder[];
  /** Files that open it again, for the ioctls; tried in order. */
  paths: string[];
  /** Inode of the user namespace that owns it; null outside scope. */
  owner: number | null;
  /** Inode of the parent (user and pid only); null at the root. */
  parent: number | null;
  /** Names under /run/netns (net only). */
  names: string[];
  /** The uid that created it (user only), from NS_GET_OWNER_UID. */
  ownerUid: number | null;
  /** Its uid_map and gid_map (user only), when a process in it shows them. */
  uidMap: MapEntry[] | null;
  gidMap: MapEntry[] | null;
}

/** One line of a uid_map or gid_map. */
export interface MapEntry { inside: number; outside: number; count: number }

/** Everything the scan found, by `kind:[inode]`. */
export interface Scan {
  records: Map<string, NsRecord>;
  /** Processes whose namespaces nsrepl could not read. */
  hidden: number;
}

const NS_LINK = /^(\w+):\[(\d+)\]$/;

/** Scans /proc and /run/netns. */
export function scanNamespaces(): Scan {
  const scan: Scan = { records: new Map(), hidden: 0 };
  const mntOf = new Map<number, number>();
  for (const pid of processIds()) {
    const mnt = scanProcess(scan, pid);
    if (mnt !== null) mntOf.set(pid, mnt);
    else if (forbidden(`/proc/${pid}/ns/mnt`)) scan.hidden++;
  }
  // Before any ioctl opens an fd of nsrepl's own that the scan would see.
  for (const pid of mntOf.keys()) scanFds(scan, pid);
  scanMounts(scan, mntOf);
  scanNetnsNames(scan);
  return scan;
}

/** The record for `kind:[inode]`, made empty when new. */
export function recordFor(scan: Scan, kind: KindName,
  inode: number): NsRecord {
  const id = `${kind}:[${inode}]`;
  let r = scan.records.get(id);
  if (!r) {
    r = { kind, inode, pids: [], command: null, holders: [], paths: [],
      owner: null, parent: null, names: [], ownerUid: null, uidMap: null,
      gidMap: null };
    scan.records.set(id, r);
  }
  return r;
}

/**
 * Whether any process is in pid namespace `inode` (as its own, not just
 * for its children): a pid namespace whose init has not been started has
 * none, and the first process to enter it becomes its init.
 */
export function pidNsHasProcess(inode: number): boolean {
  const want = `pid:[${inode}]`;
  return processIds().some((pid) => readLink(`/proc/${pid}/ns/pid`) === want);
}

function processIds(): number[] {
  return readdirSync("/proc").filter((n) => /^\d+$/.test(n)).map(Number)
    .sort((a, b) => a - b);
}

// Returns the process's mnt namespace inode, or null when hidden.
function scanProcess(scan: Scan, pid: number): number | null {
  let mnt: number | null = null;
  for (const k of KINDS) {
    const link = readLink(`/proc/${pid}/ns/${k.file}`);
    const m = link === null ? null : NS_LINK.exec(link);
    if (!m) continue;
    const r = recordFor(scan, k.name, Number(m[2]));
    if (!r.pids.length) r.command = commandOf(pid);
    r.pids.push(pid);
    r.paths.push(`/proc/${pid}/ns/${k.file}`);
    if (k.name === "mnt") mnt = r.inode;
  }
  return mnt;
}

/** A process's command line, or `[comm]` for a kernel thread (as ps). */
export function commandOf(pid: number): string {
  const cmdline = readText(`/proc/${pid}/cmdline`) ?? "";
  if (isOwnHolder(pid, cmdline)) return "nsrepl holder";
  if (cmdline === "") {
    const comm = readText(`/proc/${pid}/comm`)?.trim() ?? "?";
    // nsrepl's helpers (zygote.ts, watchdog.ts, tty-witness.ts) name
    // themselves, and have no command line: they run no program.
    if (/^nsrepl-(zygote|watchdog|witness)$/.test(comm)) {
      return comm.replace("-", " ");
    }
    return `[${comm}]`;
  }
  // A command line may hold newlines (nsrepl -e 'CODE'): one line only.
  return cmdline.replace(/\0+$/, "").replace(/[\0-\x1f\x7f]+/g, " ");
}

// A holder nsrepl cloned runs no program: a child of nsrepl's with its
// name, and with nsrepl's command line, or none (small-fork.ts leaves the
// stack that holds it out of the copy). Say what it is instead.
function isOwnHolder(pid: number, cmdline: string): boolean {
  const stat = readText(`/proc/${pid}/stat`) ?? "";
  const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  if (ppid !== process.pid) return false;
  if (cmdline === "") {
    return readText(`/proc/${pid}/comm`) === readText("/proc/self/comm");
  }
  return cmdline === readText("/proc/self/cmdline");
}

function scanFds(scan: Scan, pid: number): void {
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return;
  }
  for (const fd of fds) {
    const m = NS_LINK.exec(readLink(`/proc/${pid}/fd/${fd}`) ?? "");
    const kind = m && kindByName(m[1]);
    if (!m || !kind) continue;
    const r = recordFor(scan, kind.name, Number(m[2]));
    const command = pid === process.pid ? "nsrepl"
      : readText(`/proc/${pid}/comm`)?.trim() ?? "?";
    r.holders.push({ type: "fd", pid, fd: Number(fd), command });
    r.paths.push(`/proc/${pid}/fd/${fd}`);
  }
}

// One mountinfo per mount namespace is enough. nsrepl's own comes first,
// so a mount that propagated everywhere (/run/netns is shared) is
// reported by the path nsrepl sees.
function scanMounts(scan: Scan, mntOf: Map<number, number>): void {
  const own = statSync("/proc/self/ns/mnt").ino;
  const seen = new Set<number>([own]);
  const added = new Set<string>();
  scanMountinfo(scan, "self", null, added);
  for (const [pid, mnt] of mntOf) {
    if (seen.has(mnt)) continue;
    seen.add(mnt);
    scanMountinfo(scan, pid, mnt, added);
  }
}

// `mnt` is null for nsrepl's own mount namespace.
function scanMountinfo(scan: Scan, pid: number | "self", mnt: number | null,
  added: Set<string>): void {
  const text = readText(`/proc/${pid}/mountinfo`) ?? "";
  for (const m of nsfsMounts(text)) {
    const key = `${m.kind}:[${m.inode}] ${m.path}`;
    if (added.has(key)) continue;
    added.add(key);
    const r = recordFor(scan, m.kind, m.inode);
    r.holders.push({ type: "mount", path: m.path,
      pid: pid === "self" ? process.pid : pid, mnt });
    r.paths.push(`/proc/${pid}/root${m.path}`);
  }
}

interface NsfsMount { kind: KindName; inode: number; path: string }

/**
 * The nsfs mounts in a mountinfo text. A line reads
 * `ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [TAGS...] - FSTYPE SOURCE ...`
 * and for a namespace file ROOT is its name, `net:[4026532301]`.
 */
export function nsfsMounts(mountinfo: string): NsfsMount[] {
  const found: NsfsMount[] = [];
  for (const line of mountinfo.split("\n")) {
    const fields = line.split(" ");
    const dash = fields.indexOf("-");
    if (dash < 0 || fields[dash + 1] !== "nsfs") continue;
    const m = NS_LINK.exec(unescape(fields[3]));
    const kind = m && kindByName(m[1]);
    if (!m || !kind) continue;
    found.push({ kind: kind.name, inode: Number(m[2]),
      path: unescape(fields[4]) });
  }
  return found;
}

// mountinfo writes space, tab, newline and backslash as octal escapes.
function unescape(field: string): string {
  return field.replace(/\\([0-7]{3})/g,
    (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

// `ip netns add NAME` bind-mounts a net namespace on /run/netns/NAME; a
// file there that is not an nsfs mount is a leftover, and has no inode
// of a namespace.
function scanNetnsNames(scan: Scan): void {
  let names: string[];
  try {
    names = readdirSync("/run/netns").sort();
  } catch {
    return;
  }
  const nsfs = statSync("/proc/self/ns/net").dev;
  for (const name of names) {
    const st = statOrNull(`/run/netns/${name}`);
    if (!st || st.dev !== nsfs) continue;
    recordFor(scan, "net", st.ino).names.push(name);
  }
}

function readLink(path: string): string | null {
  try {
    return readlinkSync(path);
  } catch {
    return null;
  }
}

// A process that exited meanwhile is not hidden, only gone.
function forbidden(path: string): boolean {
  try {
    readlinkSync(path);
    return false;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === "EACCES" || code === "EPERM";
  }
}

function readText(path: string): string | null {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return null;
  }
}

function statOrNull(path: string) {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}
