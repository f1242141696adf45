// Finding the program to run. A name without a slash is looked up in PATH
// as the new process will see it: under /proc/PID/root, in its own mount
// namespace, after it has reported ready.

import { accessSync, constants, statSync } from "node:fs";

/** PATH when the environment has none. */
export const DEFAULT_PATH =
  "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/** The PATH entry of `env`, or DEFAULT_PATH. */
export function envPath(env: string[]): string {
  const entry = env.find((e) => e.startsWith("PATH="));
  return entry === undefined ? DEFAULT_PATH : entry.slice(5);
}

/**
 * The path `pid` should execve for `name`, or null when no PATH directory
 * has an executable file of that name. Absolute symlinks resolve against
 * nsrepl's root, not the process's: /proc/PID/root does not re-root them.
 */
export function findProgram(pid: number, name: string,
  env: string[]): string | null {
  if (name.includes("/")) return name;
  if (name === "") return null;
  for (const dir of envPath(env).split(":")) {
    // An empty PATH entry means the current directory, as in sh.
    const path = `${dir || "."}/${name}`;
    const seen = dir.startsWith("/") ? `/proc/${pid}/root${path}`
      : `/proc/${pid}/cwd/${path}`;
    if (isExecutable(seen)) return path;
  }
  return null;
}

function isExecutable(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
