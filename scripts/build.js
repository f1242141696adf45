// Bundles nsrepl and its tests with esbuild. Node loads one file much faster
// than the many modules nsrepl is written as, so everything but koffi's
// native part goes into one. Minifying was measured and saved nothing: V8
// compiles lazily, and the bundle holds no parser generator any more.
import { build } from "esbuild";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const common = {
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  external: ["koffi", "uvu", "uvu/*"],
  logLevel: "warning",
  sourcemap: "linked",
  // Bundled CommonJS code may call require(); give ESM output one.
  banner: {
    js: "import { createRequire as __nsCreateRequire } from 'node:module';" +
      "const require = __nsCreateRequire(import.meta.url);",
  },
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

// Splitting puts what only some runs need (the REPL and readline, helper
// jobs) in chunks of their own, loaded by the dynamic imports in cli.ts.
await build({
  ...common,
  entryPoints: { nsrepl: join(root, "interpreter/cli.ts") },
  outdir: join(root, "dist"),
  splitting: true,
  chunkNames: "chunks/[name]-[hash]",
});

if (process.argv.includes("--tests") || process.env.npm_lifecycle_event === "test") {
  await build({
    ...common,
    entryPoints: testFiles(join(root, "test")),
    outbase: join(root, "test"),
    outdir: join(root, "dist/test"),
  });
}
