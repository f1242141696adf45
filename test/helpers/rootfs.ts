// A real directory tree to chroot into: dash as /bin/sh with the shared
// libraries it needs, copied where ldd says they are, plus a few files.
// Only files: removing the directory undoes everything.
import { spawnSync } from "node:child_process";
import {
  chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync,
} from "node:fs";
import { dirname, join } from "node:path";

const SHELL = "/usr/bin/dash";

/** The absolute paths of the libraries `program` loads, by ldd. */
function libraries(program: string): string[] {
  const r = spawnSync("ldd", [program], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`ldd ${program}: ${r.stderr}`);
  return [...r.stdout.matchAll(/(\/\S+)/g)].map((m) => m[1]);
}

function copyInto(root: string, from: string, to = from): void {
  mkdirSync(dirname(join(root, to)), { recursive: true });
  copyFileSync(from, join(root, to));
}

/**
 * Makes a tree holding /bin/sh, /marker ("inside"), /home/me/note
 * ("hello") and an empty /proc, readable by everyone; the caller removes it.
 */
export function makeRootfs(): string {
  const root = mkdtempSync("/tmp/nsrepl-rootfs-");
  try {
    chmodSync(root, 0o755);
    copyInto(root, SHELL, "/bin/sh");
    for (const lib of libraries(SHELL)) copyInto(root, lib);
    mkdirSync(join(root, "home/me"), { recursive: true });
    mkdirSync(join(root, "proc"));
    writeFileSync(join(root, "marker"), "inside\n");
    writeFileSync(join(root, "home/me/note"), "hello\n");
    return root;
  } catch (error) {
    removeRootfs(root);
    throw error;
  }
}

export function removeRootfs(root: string): void {
  rmSync(root, { recursive: true, force: true });
}

/** Runs `body` with a tree from makeRootfs; removes it afterwards. */
export function withRootfs<T>(body: (root: string) => T): T {
  const root = makeRootfs();
  try {
    return body(root);
  } finally {
    removeRootfs(root);
  }
}
