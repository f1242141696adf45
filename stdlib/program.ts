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
  return search(name, env, (path) => path.startsWith("/")
    ? `/proc/${pid}/root${path}` : `/proc/${pid}/cwd/${path}`);
}

/**
 * The same search in nsrepl's own view of the file system, for a process
 * that will see the same one: one that joins no mount namespace and
 * changes neither root nor working directory. A new mount namespace
 * starts as a copy of its parent's, so creating one doesn't count.
 */
export function findProgramHere(name: string, env: string[]): string | null {
  return search(name, env, (path) => path);
}

function search(name: string, env: string[],
  seen: (path: string) => string): string | null {
  if (name.includes("/")) return name;
  if (name === "") return null;
  for (const dir of envPath(env).split(":")) {
    // An empty PATH entry means the current directory, as in sh.
    const path = `${dir || "."}/${name}`;
    if (isExecutable(seen(path))) return path;
  }
  return null;
}

function isExecutable(path: string): boolean {
  try {
    // Most PATH entries miss: no exception for those.
    if (!statSync(path, { throwIfNoEntry: false })?.isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
