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
