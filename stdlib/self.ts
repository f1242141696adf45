// Where nsrepl's own bundle is, so it can run itself as a helper process.

import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

let bundle: string | null = null;

// Tests run from their own bundles, so look for the package root instead
// of trusting import.meta.url to be nsrepl.js itself.
function findBundle(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, "package.json");
    if (existsSync(pkg) && /"name":\s*"nsrepl"/.test(readFileSync(pkg, "utf8"))) {
      return join(dir, "dist", "nsrepl.js");
    }
    const up = dirname(dir);
    if (up === dir) throw new Error("cannot find nsrepl's package root");
    dir = up;
  }
}

/** The argv that runs `nsrepl --helper ARGS...` with this Node. */
export function helperArgv(args: string[]): string[] {
  bundle ??= findBundle();
  return [process.execPath, bundle, "--helper", ...args];
}
