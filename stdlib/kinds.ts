// The one table of namespace kinds. No other file spells a CLONE_NEW*
// constant: everything that needs a flag, a /proc name or an ordering rule
// looks it up here.

import type { KindName } from "../grammar/ast.js";

export type { KindName };

export interface Kind {
  name: KindName;
  /** The CLONE_NEW* flag for clone(2), unshare(2) and setns(2). */
  flag: number;
  /** The file under /proc/PID/ns that names the namespace a process is in. */
  file: string;
  /**
   * The file naming the namespace this process's *children* will be in.
   * Only pid and time differ from `file`: unshare(2) and setns(2) change
   * what a process's next children get, never the process itself.
   */
  childFile: string;
  /** One line for help text and listings. */
  isolates: string;
}

// Order matters: user comes first, because joining or creating the user
// namespace first is what grants the capabilities the other kinds need
// (util-linux nsenter and unshare follow the same rule). The rest follow
// the order of /proc/PID/ns listings so output reads like the kernel's.
export const KINDS: readonly Kind[] = [
  { name: "user", flag: 0x10000000, file: "user", childFile: "user",
    isolates: "user and group ids, capabilities" },
  { name: "mnt", flag: 0x00020000, file: "mnt", childFile: "mnt",
    isolates: "mount points" },
  { name: "pid", flag: 0x20000000, file: "pid", childFile: "pid_for_children",
    isolates: "process ids" },
  { name: "net", flag: 0x40000000, file: "net", childFile: "net",
    isolates: "network devices, stacks, ports" },
  { name: "uts", flag: 0x04000000, file: "uts", childFile: "uts",
    isolates: "hostname and NIS domain name" },
  { name: "ipc", flag: 0x08000000, file: "ipc", childFile: "ipc",
    isolates: "System V IPC, POSIX message queues" },
  { name: "cgroup", flag: 0x02000000, file: "cgroup", childFile: "cgroup",
    isolates: "cgroup root directory" },
  { name: "time", flag: 0x00000080, file: "time",
    childFile: "time_for_children", isolates: "boot and monotonic clocks" },
];

export const KIND_NAMES: readonly KindName[] = KINDS.map((k) => k.name);

const byName = new Map<string, Kind>(KINDS.map((k) => [k.name, k]));
byName.set("mount", byName.get("mnt")!);

/** The kind called `name` (`mount` is an alias of `mnt`), or undefined. */
export function kindByName(name: string): Kind | undefined {
  return byName.get(name);
}

/** The CLONE_NEW* flags of `kinds`, or'ed together. */
export function flagsOf(kinds: readonly KindName[]): number {
  let flags = 0;
  for (const name of kinds) flags |= byName.get(name)!.flag;
  return flags;
}

/** The kind whose CLONE_NEW* flag is `flag`, for error messages. */
export function kindByFlag(flag: number): Kind | undefined {
  return KINDS.find((k) => k.flag === flag);
}

/** `kinds` in the table's order (user first), without duplicates. */
export function inKernelOrder(kinds: Iterable<KindName>): KindName[] {
  // Every launch asks, mostly with none: no Set for eight names at most.
  const wanted = Array.isArray(kinds) ? kinds : [...kinds];
  if (wanted.length === 0) return [];
  return KIND_NAMES.filter((name) => wanted.includes(name));
}
