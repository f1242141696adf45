// What completion offers from the system rather than from the language:
// pids, /run/netns names, paths, programs on PATH. Each reads the system
// when asked and fails quietly: a completion never reports an error.

import { readFileSync, readdirSync, readlinkSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { KINDS } from "../stdlib/kinds.js";

function list(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function link(path: string): string | null {
  try {
    return readlinkSync(path);
  } catch {
    return null;
  }
}

function read(path: string): string | null {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return null;
  }
}

const numeric = (name: string) => /^\d+$/.test(name);

/**
 * Pids that start with `prefix`. With no prefix only the processes that
 * are somewhere else than nsrepl in some kind: the ones worth joining,
 * rather than every process on the machine. A kernel thread may sit in
 * a namespace of its own too (kdevtmpfs has a mount namespace), but
 * nobody means to join it.
 */
export function pids(prefix: string): string[] {
  const all = list("/proc").filter((p) => numeric(p) && p.startsWith(prefix));
  if (prefix) return all;
  const own = KINDS.map((k) => link(`/proc/self/ns/${k.file}`));
  return all.filter((pid) => !isKernelThread(pid) && KINDS.some((k, i) => {
    const ns = link(`/proc/${pid}/ns/${k.file}`);
    return ns !== null && own[i] !== null && ns !== own[i];
  }));
}

const PF_KTHREAD = 0x00200000;

// The flags are the ninth field of /proc/PID/stat, the seventh after the
// command name, which may itself hold spaces and parentheses.
function isKernelThread(pid: string): boolean {
  const stat = read(`/proc/${pid}/stat`);
  const flags = stat?.slice(stat.lastIndexOf(")") + 2).split(" ")[6];
  return flags !== undefined && (Number(flags) & PF_KTHREAD) !== 0;
}

/** The name `pid` runs under, as ps shows it; null once it is gone. */
export function commandName(pid: string): string | null {
  return read(`/proc/${pid}/comm`)?.trim() || null;
}

/** Names of network namespaces bound under /run/netns (`ip netns add`). */
export function netnsNames(prefix: string): string[] {
  return list("/run/netns").filter((n) => n.startsWith(prefix));
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The entries that complete the last component of `typed`, directories
 * with a slash; `onlyDirs` for a working directory. Returns what to show
 * and the part of `typed` they replace.
 */
export function paths(typed: string, onlyDirs = false): [string[], string] {
  const cut = typed.lastIndexOf("/") + 1;
  const dir = typed.slice(0, cut);
  const base = typed.slice(cut);
  const where = expandHome(dir) || ".";
  const found: string[] = [];
  for (const name of list(where)) {
    if (!name.startsWith(base) || (name.startsWith(".") && !base)) continue;
    const directory = isDir(`${where}/${name}`);
    if (directory) found.push(name + "/");
    else if (!onlyDirs) found.push(name);
  }
  return [found.sort(), base];
}

function expandHome(dir: string): string {
  return dir.startsWith("~/") ? homedir() + dir.slice(1) : dir;
}

/** Programs on PATH whose names start with `prefix` (not empty). */
export function programs(prefix: string): string[] {
  const found = new Set<string>();
  if (!prefix) return [];
  for (const dir of (process.env.PATH ?? "").split(":")) {
    if (!dir) continue;
    for (const name of list(dir)) {
      if (name.startsWith(prefix) && isExecutable(`${dir}/${name}`)) {
        found.add(name);
      }
    }
  }
  return [...found].sort();
}

function isExecutable(path: string): boolean {
  try {
    const st = statSync(path);
    return st.isFile() && (st.mode & 0o111) !== 0;
  } catch {
    return false;
  }
}
