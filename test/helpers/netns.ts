// `ip netns add` makes /run/netns a shared bind mount of itself the first
// time, and `ip netns del` leaves that mount: tests that add a name undo
// exactly what they brought about, so the host is left as found.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

const NETNS = "/run/netns";

export function isMountPoint(path: string): boolean {
  return readFileSync("/proc/self/mountinfo", "utf8").split("\n")
    .some((line) => line.split(" ")[4] === path);
}

function quietly(cmd: string, args: string[]): void {
  spawnSync(cmd, args, { stdio: "ignore" });
}

/** Runs `body` with a /run/netns name; removes the name and any mount after. */
export function withNetnsName<T>(name: string, body: (name: string) => T): T {
  const existed = existsSync(NETNS);
  const wasMount = isMountPoint(NETNS);
  try {
    return body(name);
  } finally {
    if (existsSync(join(NETNS, name))) quietly("ip", ["netns", "del", name]);
    for (let i = 0; i < 4 && !wasMount && isMountPoint(NETNS); i++) {
      quietly("umount", [NETNS]);
    }
    if (!existed && readdirSync(NETNS).length === 0) quietly("rmdir", [NETNS]);
  }
}
