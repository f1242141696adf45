// Where nsrepl runs from, so it can load koffi beside itself and start
// itself again (a helper job, a tutorial under test).
//
// nsrepl runs in one of two ways. The installed command starts Node from
// the start-up snapshot (dist/nsrepl.blob: the bundle with its parser
// already built), as `node --snapshot-blob BLOB -- ARGS`. Without a
// snapshot, Node runs the bundle itself: `node dist/nsrepl.cjs ARGS`.
// Tests run from bundles of their own under dist/test.

import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The snapshot this process started from, once the entry says so. */
let blob: string | null = null;
let bundle: string | null = null;

/** Called by the snapshot's main function with the blob Node loaded. */
export function startedFromSnapshot(path: string): void {
  blob = path;
}

/** A file inside nsrepl's package, for resolving its dependencies. */
export function selfFile(): string {
  return blob ?? fileURLToPath(import.meta.url);
}

/** The argv that starts nsrepl again with this Node, before nsrepl's own. */
export function selfArgv(): string[] {
  if (blob) return [process.execPath, "--snapshot-blob", blob, "--"];
  bundle ??= findBundle();
  return [process.execPath, bundle];
}

/** The argv that runs `nsrepl --helper ARGS...`. */
export function helperArgv(args: string[]): string[] {
  return [...selfArgv(), "--helper", ...args];
}

// Tests run from their own bundles, so look for the package root instead
// of trusting this file to be the bundle itself.
function findBundle(): string {
  let dir = dirname(selfFile());
  for (;;) {
    const pkg = join(dir, "package.json");
    if (existsSync(pkg) && /"name":\s*"nsrepl"/.test(readFileSync(pkg, "utf8"))) {
      return join(dir, "dist", "nsrepl.cjs");
    }
    const up = dirname(dir);
    if (up === dir) throw new Error("cannot find nsrepl's package root");
    dir = up;
  }
}
