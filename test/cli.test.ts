// The command line: modes, exit statuses, help.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import {
  chmodSync, mkdtempSync, rmSync, statSync, symlinkSync, utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { root, runCli, runCode } from "./helpers/cli.js";

test("--help fits in 80 columns and names every statement", () => {
  const r = runCli(["--help"]);
  assert.is(r.status, 0);
  for (const line of r.stdout.split("\n")) assert.ok(line.length <= 80, line);
  for (const word of ["spawn", "clone", "unshare", "setns"]) {
    assert.ok(r.stdout.includes(word), word);
  }
});

test("--version prints the package version", () => {
  assert.match(runCli(["--version"]).stdout, /^nsrepl \d+\.\d+\.\d+\n$/);
});

test("an unknown option is a usage error, status 64", () => {
  const r = runCli(["--bogus"]);
  assert.is(r.status, 64);
  assert.match(r.stderr, /unknown option '--bogus'/);
});

test("a missing file is a usage error, status 64", () => {
  const r = runCli(["/nonexistent/x.ns"]);
  assert.is(r.status, 64);
  assert.match(r.stderr, /cannot read '\/nonexistent\/x.ns': no such file/);
});

test("-e runs code; a runtime error exits 70 with file:line:col", () => {
  assert.is(runCode("print 1 + 1").stdout, "2\n");
  const r = runCode("let x = 1\nprint x + [1]");
  assert.is(r.status, 70);
  assert.match(r.stderr, /^-e:2:9: error: cannot add number and list/);
});

test("a script read from standard input, with '-' or no file at all", () => {
  for (const args of [["-"], []]) {
    const r = runCli(args, { input: 'print "from stdin"\n' });
    assert.is(r.stdout, "from stdin\n");
  }
});

test("script arguments arrive as the list `args`", () => {
  const r = runCli(["-e", "print len(args), args[1]", "a", "b c"]);
  assert.is(r.stdout, "2 b c\n");
});

test("an executable script with #!/usr/bin/env nsrepl runs", () => {
  const dir = mkdtempSync(join(tmpdir(), "nsrepl-"));
  try {
    const file = join(dir, "hello.ns");
    writeFileSync(file, "#!/usr/bin/env nsrepl\nprint \"hello\", args[0]\n");
    chmodSync(file, 0o755);
    // The installed command, as npm links it onto PATH.
    symlinkSync(join(root, "bin/nsrepl"), join(dir, "nsrepl"));
    const r = spawnSync(file, ["world"], {
      encoding: "utf8", env: { ...process.env, PATH: `${dir}:${process.env.PATH}` },
    });
    assert.is(r.stdout, "hello world\n", r.stderr);
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test("the installed command starts Node from the start-up snapshot", () => {
  // The program's parent is nsrepl itself: read how it was started.
  const r = runCode(`spawn ["sh", "-c", "tr '\\\\0' ' ' < /proc/$PPID/cmdline"]`);
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, `--snapshot-blob ${join(root, "dist/nsrepl.blob")} -- -e`);
});

test("npx nsrepl FILE runs a script, as the README promises", () => {
  const dir = mkdtempSync(join(tmpdir(), "nsrepl-"));
  try {
    const file = join(dir, "hi.ns");
    writeFileSync(file, "spawn \"echo from a child\"\nprint args[0]\n");
    const r = spawnSync("npx", ["--offline", "nsrepl", file, "there"], {
      cwd: root, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" },
    });
    assert.is(r.stdout, "from a child\nthere\n", r.stderr);
    assert.is(r.status, 0);
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test("a snapshot older than the Node named for it is passed over", () => {
  const blob = join(root, "dist/nsrepl.blob");
  const { atime, mtime } = statSync(blob);
  utimesSync(blob, atime, new Date(0));
  try {
    const r = runCode(`spawn ["sh", "-c", "tr '\\\\0' ' ' < /proc/$PPID/cmdline"]`);
    assert.is(r.status, 0, r.stderr);
    assert.match(r.stdout, `${join(root, "dist/nsrepl.cjs")} -e`);
    assert.not.match(r.stdout, "--snapshot-blob");
  } finally {
    utimesSync(blob, atime, mtime);
  }
});

test("without a snapshot, Node runs the bundle itself", () => {
  const r = spawnSync(process.execPath, [join(root, "dist/nsrepl.cjs"), "-e",
    `spawn "true"\nprint 6 * 7`], { encoding: "utf8" });
  assert.is(r.stderr, "");
  assert.is(r.stdout, "42\n");
});

test("color is decided when nsrepl runs, not when its snapshot was made", () => {
  const forced = runCli(["-e", "expect false"], { env: { NO_COLOR: undefined, FORCE_COLOR: "1" } });
  assert.match(forced.stderr, "\x1b[");
  const plain = runCli(["-e", "expect false"], { env: { NO_COLOR: undefined, FORCE_COLOR: undefined } });
  assert.not.match(plain.stderr, "\x1b[");
  assert.match(plain.stderr, "expect failed");
});

test.run();
