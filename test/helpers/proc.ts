// What the kernel says about this test process and its children.
import { readdirSync, readFileSync } from "node:fs";

/** Children of this process that are zombies (exited, not reaped). */
export function zombies(): number {
  let count = 0;
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "latin1");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (fields[0] === "Z" && Number(fields[1]) === process.pid) count++;
    } catch { /* it went away meanwhile */ }
  }
  return count;
}

/** How many fds this process has open. */
export function fdCount(): number {
  return readdirSync("/proc/self/fd").length;
}

/** Whether `pid` exists and has not exited (a zombie has). */
export function alive(pid: number): boolean {
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, "utf8"));
  } catch {
    return false;
  }
}

/** `pid`'s path on the cgroup2 hierarchy ("0::PATH"), or null if gone. */
export function cgroupOf(pid: number): string | null {
  try {
    const text = readFileSync(`/proc/${pid}/cgroup`, "utf8");
    return /^0::(.*)$/m.exec(text)?.[1] ?? null;
  } catch {
    return null;
  }
}

/** Every live process below `pid` in the process tree, by parent pid. */
export function descendants(pid: number): number[] {
  const parent = new Map<number, number>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "latin1");
      const ppid = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1];
      parent.set(Number(name), Number(ppid));
    } catch { /* it went away meanwhile */ }
  }
  const below = (p: number): number[] => [...parent]
    .filter(([, pp]) => pp === p).flatMap(([c]) => [c, ...below(c)]);
  return below(pid);
}

/** Live processes whose cgroup2 path is `path`. */
export function inCgroup(path: string): number[] {
  return readdirSync("/proc").filter((n) => /^\d+$/.test(n)).map(Number)
    .filter((pid) => cgroupOf(pid) === path && alive(pid));
}
