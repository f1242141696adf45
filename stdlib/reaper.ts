// Reaping children without blocking the event loop. Each child has a pidfd
// that polls readable once the process has exited; only then is it reaped,
// with waitpid(pid, WNOHANG) on that pid alone. waitpid(-1) would steal the
// children libuv spawns for child_process.

import { closeSync } from "node:fs";
import { constants } from "node:os";
import type { ExitStatus } from "./types.js";
import {
  pidfdSendSignal, waitpid, watchReadable, type FdWatch,
} from "./libc.js";
import { endSessionCgroup } from "./session-cgroup.js";
import { end as endZygote } from "./zygote.js";
import { LiveList, type Link } from "./live-list.js";

/** How nsrepl follows one child until it is reaped. */
export interface Reaped {
  exited: Promise<ExitStatus>;
  /** Sends a signal through the pidfd; false once the child has ended. */
  kill(signal?: NodeJS.Signals | number): boolean;
  /** Keeps the event loop alive until the child ends (the default). */
  ref(): void;
  /** Lets nsrepl exit while the child runs; PDEATHSIG then kills it. */
  unref(): void;
}

/** How a child is tracked: see each field. */
export interface TrackOptions {
  /** An fd to close once the child is reaped (a holder's lifeline). */
  lifeline?: number;
  /** Start unref'd: holders and background children. */
  background?: boolean;
  /** Replaces the exit code, as 126 after a failed execve. */
  status?: number;
}

interface Entry {
  pid: number;
  pidfd: number;
  watch: FdWatch | null;
  options: TrackOptions;
  resolve: (status: ExitStatus) => void;
  /** Its place among the live; emptied once it is reaped. */
  link: Link<Entry> | null;
}

// Not a Map by pid: see live-list.ts for what a Map cost per spawn.
const live = new LiveList<Entry>();

/** Follows child `pid` through `pidfd`, which the reaper now owns. */
export function track(pid: number, pidfd: number,
  options: TrackOptions = {}): Reaped {
  let resolve!: (status: ExitStatus) => void;
  const exited = new Promise<ExitStatus>((r) => { resolve = r; });
  const entry: Entry = {
    pid, pidfd, watch: null, options, resolve, link: null,
  };
  entry.link = live.add(entry);
  entry.watch = watchReadable(pidfd, () => reap(entry, false));
  if (options.background) entry.watch.unref();
  return {
    exited,
    kill: (signal) => signalChild(entry, signal ?? "SIGTERM"),
    ref: () => entry.watch?.ref(),
    unref: () => entry.watch?.unref(),
  };
}

function reap(entry: Entry, block: boolean): void {
  if (!entry.link) return;
  let raw: number | null;
  try {
    raw = waitpid(entry.pid, block);
  } catch {
    // ECHILD: something else reaped it (a waitpid(-1) elsewhere), and the
    // status is lost. This runs from the event loop: never throw here.
    raw = UNKNOWN;
  }
  // A pidfd polls readable only after exit; a spurious wakeup finds
  // nothing to reap and keeps watching.
  if (raw === null) return;
  finish(entry, raw);
}

// Reported as exit status 255, as a shell would for a lost status.
const UNKNOWN = 255 << 8;

function finish(entry: Entry, raw: number): void {
  live.remove(entry.link!);
  entry.link = null;
  // Stop polling before the fd closes: the number may be reused at once.
  entry.watch?.close();
  closeSync(entry.pidfd);
  if (entry.options.lifeline !== undefined) closeSync(entry.options.lifeline);
  const status = decodeStatus(raw);
  if (entry.options.status !== undefined && status.signal === null) {
    status.status = entry.options.status;
  }
  entry.resolve(status);
}

// A child someone signals is about to be waited for: keep the loop alive
// until it is reaped, even if it was a holder or in the background.
function signalChild(entry: Entry,
  signal: NodeJS.Signals | number): boolean {
  if (!entry.link) return false;
  entry.watch?.ref();
  const number = typeof signal === "number" ? signal
    : constants.signals[signal];
  if (number === undefined) throw new TypeError(`unknown signal ${signal}`);
  return pidfdSendSignal(entry.pidfd, number);
}

const signalNames = new Map<number, string>(
  Object.entries(constants.signals).map(([name, n]) => [n, name]));

/** Decodes a wait status as a shell reports it (128 + signal). */
export function decodeStatus(raw: number): ExitStatus {
  const signo = raw & 0x7f;
  if (signo === 0) {
    return { status: (raw >> 8) & 0xff, signal: null, coreDumped: false };
  }
  return {
    status: 128 + signo,
    signal: signalNames.get(signo) ?? `SIG${signo}`,
    coreDumped: (raw & 0x80) !== 0,
  };
}

/**
 * SIGKILLs and reaps every child still alive, then has the watchdog end
 * their descendants; for nsrepl's exit.
 */
export function killAll(): void {
  for (const entry of live.values()) {
    pidfdSendSignal(entry.pidfd, constants.signals.SIGKILL);
    reap(entry, true);
  }
  endZygote();
  endSessionCgroup();
}

/** Children started and not yet reaped. */
export function liveCount(): number {
  return live.size;
}
