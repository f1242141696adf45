// The session's cgroup: every process nsrepl starts moves itself into it
// first thing (steps.ts, enterCgroup), and every process those start is
// born in it. A cgroup is the one grouping a process cannot leave without
// privilege — unlike a process group or session, which setsid() leaves —
// so killing it (cgroup.kill, Linux 5.14) ends a background shell's
// children and whatever daemonized too. The watchdog (watchdog.ts) kills
// it when nsrepl is gone.
//
// Made lazily, at the first launch, as a child of nsrepl's own cgroup on
// the cgroup2 hierarchy: nsrepl itself stays where it was. Without a
// cgroup2 mount, or without the right to create a cgroup there (rootless,
// as a rule), there is no session cgroup, and only the death signal of
// nsrepl's direct children applies.

import { closeSync, constants, mkdirSync, openSync, readFileSync, rmdirSync,
  writeSync } from "node:fs";
import { waitpid, watchReadable, type FdWatch } from "./libc.js";
import { startWatchdog, type Watchdog } from "./watchdog.js";
import { trace } from "./trace.js";

/** The cgroup a new process joins: its path, and cgroup.procs open. */
export interface SessionCgroup { dir: string; procs: number }

interface State extends SessionCgroup {
  kill: number;
  watchdog: Watchdog | null;
  watch: FdWatch | null;
}

// undefined: not tried yet; null: none to be had.
let state: State | null | undefined;

/**
 * The session cgroup, made (with its watchdog) on first use; null where
 * none can be made. A watchdog killed from outside is replaced here.
 */
export function sessionCgroup(): SessionCgroup | null {
  if (state === undefined) state = create();
  if (state && !state.watchdog) {
    try {
      watch(state);
    } catch (error) {
      // Unguarded, the cgroup would be no help: do without it.
      discard(state);
      state = null;
      throw error;
    }
  }
  return state;
}

function discard(s: State): void {
  closeSync(s.kill);
  closeSync(s.procs);
  try { rmdirSync(s.dir); } catch { /* a process is still in it */ }
}

/** Kills every process in the session cgroup; it stays for new ones. */
export function killSessionCgroup(): void {
  if (state) writeSync(state.kill, "1");
}

/**
 * For nsrepl's orderly exit: lets the watchdog kill what is left and
 * remove the cgroup, and waits for it to be done (watchdog.ts).
 */
export function endSessionCgroup(): void {
  if (!state) return;
  const { watchdog } = state;
  if (watchdog) {
    state.watch?.close();
    closeSync(watchdog.lifeline);
    waitpid(watchdog.pid, true);
    closeSync(watchdog.pidfd);
  }
  discard(state);
  // A launch after this (a test going on) makes a new one.
  state = undefined;
}

/** The directory of nsrepl's own cgroup on the cgroup2 hierarchy. */
export function ownCgroupDir(): string | null {
  // "0::PATH" is the cgroup2 line; PATH is relative to the cgroup
  // namespace's root, and so is a mount whose root is "/".
  const own = /^0::(\/.*)$/m.exec(readFileSync("/proc/self/cgroup", "utf8"));
  const at = cgroup2Mount();
  if (!own || !at || own[1].endsWith(" (deleted)")) return null;
  return own[1] === "/" ? at : at + own[1];
}

/** Where the whole cgroup2 hierarchy is mounted, or null. */
export function cgroup2Mount(): string | null {
  for (const line of readFileSync("/proc/self/mountinfo", "utf8")
    .split("\n")) {
    const fields = line.split(" ");
    const type = fields[fields.indexOf("-") + 1];
    if (type === "cgroup2" && fields[3] === "/") return unescape(fields[4]);
  }
  return null;
}

// mountinfo writes space, tab, newline and backslash as octal escapes.
const unescape = (path: string) =>
  path.replace(/\\([0-7]{3})/g, (_, o) => String.fromCharCode(parseInt(o, 8)));

function create(): State | null {
  // nsrepl as PID 1 (`unshare --pid --fork nsrepl`): its end kills every
  // process of its pid namespace, and so everything it started, the
  // watchdog too, which then could not remove the cgroup. The kernel
  // already does the whole job here.
  if (process.pid === 1) return null;
  const parent = ownCgroupDir();
  if (!parent) return null;
  const dir = `${parent}/nsrepl-${process.pid}-${Date.now().toString(36)}`;
  try {
    mkdirSync(dir, 0o755);
  } catch (error) {
    // EACCES rootless, EROFS, ENOENT: the session goes on without one.
    const code = (error as NodeJS.ErrnoException).code ?? "error";
    trace(process.pid, `mkdir ${dir}`, `-1 ${code}`);
    return null;
  }
  trace(process.pid, `mkdir ${dir}`, "0");
  const procs = open(dir, "procs");
  try {
    return { dir, procs, kill: open(dir, "kill"), watchdog: null,
      watch: null };
  } catch {
    // cgroup.kill is new in Linux 5.14: without it, no session cgroup.
    closeSync(procs);
    rmdirSync(dir);
    return null;
  }
}

function open(dir: string, file: string): number {
  return openSync(`${dir}/cgroup.${file}`,
    constants.O_WRONLY | constants.O_NOFOLLOW);
}

// The watchdog is reaped here if something kills it; the next launch
// then starts another, and the session is guarded again.
function watch(s: State): void {
  const events = openSync(`${s.dir}/cgroup.events`,
    constants.O_RDONLY | constants.O_NOFOLLOW);
  let dog: Watchdog;
  try {
    dog = startWatchdog(s.dir, s.kill, events);
  } finally {
    closeSync(events);
  }
  s.watchdog = dog;
  s.watch = watchReadable(dog.pidfd, () => {
    if (waitpid(dog.pid, false) === null) return;
    s.watch?.close();
    closeSync(dog.pidfd);
    closeSync(dog.lifeline);
    s.watchdog = null;
    s.watch = null;
  });
  s.watch.unref();
}
