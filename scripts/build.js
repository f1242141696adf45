// Builds what `nsrepl` runs, and with --tests the test suites:
//
//   dist/nsrepl.cjs      every module but koffi's native part in one file
//                        (Node loads one file much faster than the ~700
//                        modules chevrotain alone is written as);
//   dist/nsrepl.blob     a V8 start-up snapshot of that bundle with the
//                        parser already built, which bin/nsrepl starts from;
//   dist/snapshot-node   the path of the Node binary that made the
//                        snapshot, the only one that can load it;
//   dist/test/           the uvu suites, one ESM file each.
//
// Minifying was measured and saved nothing: V8 compiles lazily.
import { build } from "esbuild";
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const dist = join(root, "dist");
const common = {
  bundle: true,
  platform: "node",
  target: "node20",
  external: ["koffi", "uvu", "uvu/*"],
  logLevel: "warning",
  sourcemap: "linked",
};

function testFiles(dir) {
  const found = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...testFiles(path));
    else if (name.endsWith(".test.ts")) found.push(path);
  }
  return found;
}

// Start clean: a file left by an older build must not be run by mistake.
for (const name of ["nsrepl.cjs", "nsrepl.cjs.map", "nsrepl.blob", "snapshot-node",
  "nsrepl.js", "nsrepl.js.map", "chunks"]) {
  rmSync(join(dist, name), { recursive: true, force: true });
}
mkdirSync(dist, { recursive: true });

await build({
  ...common,
  format: "cjs",
  entryPoints: [join(root, "interpreter/main.ts")],
  outfile: join(dist, "nsrepl.cjs"),
  // The sources are ESM; in one CommonJS file the module's URL is the file's.
  define: { "import.meta.url": "__nsBundleUrl" },
  banner: { js: "var __nsBundleUrl = require('node:url').pathToFileURL(__filename).href;" },
});

buildSnapshot();

if (process.argv.includes("--tests") || process.env.npm_lifecycle_event === "test") {
  rmSync(join(dist, "test"), { recursive: true, force: true });
  await build({
    ...common,
    format: "esm",
    entryPoints: testFiles(join(root, "test")),
    outbase: join(root, "test"),
    outdir: join(dist, "test"),
    // Bundled CommonJS code may call require(); give ESM output one.
    banner: {
      js: "import { createRequire as __nsCreateRequire } from 'node:module';" +
        "const require = __nsCreateRequire(import.meta.url);",
    },
  });
}

// Node warns that it has not verified a few built-in modules in snapshots;
// nsrepl only calls them after start, which is covered by the tests.
function buildSnapshot() {
  const made = spawnSync(process.execPath, [
    "--snapshot-blob", join(dist, "nsrepl.blob"),
    "--build-snapshot", join(dist, "nsrepl.cjs"),
  ], { cwd: dist, encoding: "utf8" });
  const said = made.stderr.split("\n").filter((line) => line &&
    !/not yet fully verified whether built-in module|may still work in some|out-of-sync after snapshot|request support for the module|--trace-warnings/
      .test(line));
  if (made.status !== 0) {
    process.stderr.write(said.join("\n") + "\n");
    throw new Error(`building the start-up snapshot failed (status ${made.status})`);
  }
  if (said.length) process.stderr.write(said.join("\n") + "\n");
  writeFileSync(join(dist, "snapshot-node"), process.execPath + "\n");
}
