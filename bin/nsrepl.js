#!/usr/bin/env node
// The installed command: runs the bundle that `npm install` built. A
// checkout whose bundle is missing (install scripts turned off) builds it
// once, so `npx nsrepl` works either way.
import { existsSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const bundle = fileURLToPath(new URL("../dist/nsrepl.js", import.meta.url));
if (!existsSync(bundle)) {
  const build = fileURLToPath(new URL("../scripts/build.js", import.meta.url));
  const made = spawnSync(process.execPath, [build], { stdio: "inherit" });
  if (made.status !== 0) process.exit(70);
}
await import(bundle);
