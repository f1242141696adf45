// The REPL's history file: one entry a line, oldest first, appended as
// each line is entered, so that a session that is killed keeps what it
// had. It holds what was typed, secrets included: mode 0600.
//
// nsrepl usually runs as root. A file name another user controls must
// never make root write elsewhere. The directory is reached through
// trusted links only and held open (stdlib/trusted-path.ts); the file is
// opened in it with O_NOFOLLOW (a symbolic link is refused, not
// followed), then checked through the open fd: a regular file, owned by
// us, with no other hard link. The directory nsrepl creates for it is
// 0700, and must be no symbolic link and ours.

import {
  closeSync, constants, fchmodSync, fstatSync, ftruncateSync, lstatSync,
  mkdirSync, openSync, readFileSync, writeSync,
} from "node:fs";
import { homedir } from "node:os";
import { basename, dirname, isAbsolute, join } from "node:path";
import { below, openTrustedDir, UntrustedPath } from
  "../stdlib/trusted-path.js";

/** Entries kept; the file is cut back to these when twice as long. */
export const KEEP = 1000;

// libuv adds O_CLOEXEC to every open: no program nsrepl starts inherits it.
const { O_RDWR, O_RDONLY, O_CREAT, O_APPEND, O_NOFOLLOW, O_DIRECTORY } =
  constants;

/** Where the history goes, and whether nsrepl owns its directory. */
export interface HistoryPlace {
  path: string;
  /** The directory is nsrepl's own: created 0700 when missing. */
  ownDir: boolean;
}

/**
 * $NSREPL_HISTORY (empty: no history file), else nsrepl/history in
 * $XDG_STATE_HOME, else in ~/.local/state.
 */
export function historyPlace(env = process.env): HistoryPlace | null {
  const chosen = env.NSREPL_HISTORY;
  if (chosen !== undefined) {
    return chosen ? { path: chosen, ownDir: false } : null;
  }
  const xdg = env.XDG_STATE_HOME;
  const state = xdg && isAbsolute(xdg) ? xdg : join(homedir(), ".local/state");
  return { path: join(state, "nsrepl", "history"), ownDir: true };
}

export class History {
  /** Newest first, as node:readline takes them. */
  readonly entries: string[] = [];
  private fd = -1;
  private last = "";

  /** Opens (or creates) the file; `warn` says why when it cannot. */
  constructor(
    place: HistoryPlace | null, private warn: (text: string) => void,
  ) {
    if (!place) return;
    try {
      this.fd = openHistory(place);
      this.load();
    } catch (error) {
      this.fail(place.path, error);
    }
  }

  /**
   * Appends one entered line. Blank lines and repeats are skipped, and so
   * is a line typed with a leading space: a way to keep one out.
   */
  add(line: string): void {
    if (this.fd < 0 || !line.trim() || line === this.last) return;
    if (line.startsWith(" ")) return;
    this.last = line;
    try {
      writeSync(this.fd, line + "\n");
    } catch (error) {
      this.fail("the history file", error);
    }
  }

  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }

  private load(): void {
    const lines = readFileSync(this.fd, "utf8").split("\n").filter((l) => l);
    const kept = lines.slice(-KEEP);
    if (lines.length > 2 * KEEP) {
      ftruncateSync(this.fd, 0);
      writeSync(this.fd, kept.join("\n") + "\n");
    }
    this.last = kept.at(-1) ?? "";
    // Newest first, and each line once: Up should not offer it twice.
    this.entries.push(...new Set(kept.reverse()));
  }

  private fail(path: string, error: unknown): void {
    this.close();
    this.warn(`nsrepl: history not saved: ${reason(path, error)} ` +
      "(NSREPL_HISTORY=FILE chooses another file; empty: none)");
  }
}

class Refused extends Error {}

function openHistory(place: HistoryPlace): number {
  const dir = place.ownDir ? ownDirectory(dirname(place.path))
    : openTrustedDir(dirname(place.path));
  try {
    return openChecked(below(dir, basename(place.path)), place.path);
  } finally {
    closeSync(dir);
  }
}

function openChecked(at: string, path: string): number {
  const flags = O_RDWR | O_CREAT | O_APPEND | O_NOFOLLOW;
  const fd = openWithName(at, path, flags);
  const st = fstatSync(fd);
  const problem = !st.isFile() ? "is not a regular file"
    : st.uid !== process.geteuid!() ? "belongs to another user"
      : st.nlink !== 1 ? "has another hard link" : null;
  if (problem) {
    closeSync(fd);
    throw new Refused(`'${path}' ${problem}`);
  }
  if ((st.mode & 0o777) !== 0o600) fchmodSync(fd, 0o600);
  return fd;
}

// O_NOFOLLOW's ELOOP, put in words.
function openWithName(at: string, path: string, flags: number): number {
  try {
    return openSync(at, flags, 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ELOOP") throw error;
    throw new Refused(`'${path}' is a symbolic link`);
  }
}

// Returns an fd on the directory, made 0700 when missing.
function ownDirectory(dir: string): number {
  const parent = openTrustedDir(dirname(dir), 0o755);
  try {
    const at = below(parent, basename(dir));
    try {
      mkdirSync(at, { mode: 0o700 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const fd = openDirectory(at, dir);
    const st = fstatSync(fd);
    if (st.uid !== process.geteuid!()) {
      closeSync(fd);
      throw new Refused(`'${dir}' belongs to another user`);
    }
    return fd;
  } finally {
    closeSync(parent);
  }
}

function openDirectory(at: string, dir: string): number {
  try {
    return openSync(at, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // With O_DIRECTORY, a link is ENOTDIR rather than ELOOP.
    if (code !== "ELOOP" && code !== "ENOTDIR") throw error;
    const link = lstatSync(at).isSymbolicLink();
    throw new Refused(`'${dir}' is ${link ? "a symbolic link"
      : "not a directory"}`);
  }
}

function reason(path: string, error: unknown): string {
  if (error instanceof Refused || error instanceof UntrustedPath) {
    return error.message;
  }
  const e = error as NodeJS.ErrnoException;
  // A pinned name (/proc/self/fd/N/...) says nothing to the user.
  const shown = e.path && !e.path.startsWith("/proc/self/fd/") ? e.path : path;
  return `'${shown}': ${e.code ?? e.message}`;
}
