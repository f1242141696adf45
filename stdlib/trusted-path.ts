// Opening paths as root without being led astray. A symbolic link that
// another user planted in a directory they can write to (/tmp, a home
// directory kept by `sudo -E`) must not make nsrepl create, bind-mount
// over, unmount or append to something elsewhere.
//
// The walk holds an O_PATH fd on each directory and opens the next name
// through /proc/self/fd/N/NAME with O_NOFOLLOW, so no name can be swapped
// between a check and its use. A symbolic link on the way is followed
// only if root or nsrepl's own user owns it (as /var/run -> /run): the
// link's owner decides where it leads, as with fs.protected_symlinks.
// The last name is never followed: callers open it with O_NOFOLLOW.

import { closeSync, constants, fstatSync, mkdirSync, openSync } from
  "node:fs";
import { basename, dirname, resolve } from "node:path";
import { readLinkFd } from "./libc.js";

const O_PATH = 0o10000000;
const { O_NOFOLLOW, O_DIRECTORY } = constants;
// As the kernel's own limit on links followed in one lookup.
const MAX_LINKS = 40;

/** A path refused because of who owns a link or a directory on it. */
export class UntrustedPath extends Error {}

/**
 * An O_PATH fd on directory `dir`, reached only through trusted links;
 * with `create`, missing directories are made with that mode, as mkdir
 * -p would, but never beyond an untrusted link.
 */
export function openTrustedDir(dir: string, create?: number): number {
  const parts = resolve(dir).split("/");
  let fd = openSync("/", O_PATH | O_DIRECTORY);
  let links = 0;
  try {
    while (parts.length > 0) {
      const part = parts.shift()!;
      if (part === "" || part === ".") continue;
      const next = openNext(fd, part, create);
      const st = fstatSync(next);
      if (!st.isSymbolicLink()) {
        closeSync(fd);
        fd = next;
        continue;
      }
      const target = linkTarget(next, st.uid, dir, ++links);
      if (target.startsWith("/")) fd = restart(fd);
      parts.unshift(...target.split("/"));
    }
    if (!fstatSync(fd).isDirectory()) {
      throw new UntrustedPath(`'${dir}' is not a directory`);
    }
    return fd;
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

function openNext(fd: number, part: string, create?: number): number {
  try {
    return openSync(below(fd, part), O_PATH | O_NOFOLLOW);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "ENOENT" || create === undefined) throw error;
  }
  try {
    mkdirSync(below(fd, part), create);
  } catch (error) {
    // Made meanwhile by someone else: what it is gets checked as usual.
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  return openSync(below(fd, part), O_PATH | O_NOFOLLOW);
}

function linkTarget(fd: number, owner: number, dir: string,
  count: number): string {
  try {
    if (owner !== 0 && owner !== process.geteuid!()) {
      throw new UntrustedPath(`'${dir}' leads through a symbolic link ` +
        `owned by uid ${owner}`);
    }
    if (count > MAX_LINKS) {
      throw new UntrustedPath(`'${dir}': too many symbolic links`);
    }
    return readLinkFd(fd, dir);
  } finally {
    closeSync(fd);
  }
}

function restart(fd: number): number {
  closeSync(fd);
  return openSync("/", O_PATH | O_DIRECTORY);
}

/** The path that names `name` inside the directory `dirFd` holds. */
export function below(dirFd: number, name: string): string {
  return `/proc/self/fd/${dirFd}/${name}`;
}

/**
 * Calls `use` with a path for `path` whose directory part is pinned (see
 * below()); the last name is left for `use` to open with O_NOFOLLOW.
 */
export function withTrustedDir<T>(path: string,
  use: (pinned: string) => T): T {
  const fd = openTrustedDir(dirname(resolve(path)));
  try {
    return use(below(fd, basename(resolve(path))));
  } finally {
    closeSync(fd);
  }
}
