// Tutorial builtins through the real command line: say, step, raises,
// shares and isolated, and step mode without a terminal.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { bin, runCode } from "./helpers/cli.js";
import type { CliResult } from "./helpers/cli.js";

/** Runs nsrepl in a session of its own: no terminal to pause on. */
function detached(args: string[], input = ""): CliResult {
  const r = spawnSync("setsid", ["-w", bin, ...args], {
    encoding: "utf8", timeout: 60_000, input,
    env: { ...process.env, NO_COLOR: "1" },
  });
  return {
    stdout: String(r.stdout), stderr: String(r.stderr), status: r.status ?? -1,
  };
}

test("say prints prose within 80 columns with a blank line around it", () => {
  const r = runCode(`print "before"\nsay "${"many words ".repeat(30)}"\nprint "after"`);
  const lines = r.stdout.split("\n");
  assert.is(r.status, 0, r.stderr);
  assert.is(lines[0], "before");
  assert.is(lines[1], "");
  assert.ok(lines.length > 5);
  for (const line of lines) assert.ok(line.length <= 80, line);
  assert.is(lines.at(-3), "");
  assert.is(lines.at(-2), "after");
});

test("say interpolates, and two says in a row share one blank line", () => {
  const r = runCode('let n = 2\nsay "one is ${n - 1}"\nsay "two is ${n}"');
  assert.is(r.stdout, "one is 1\n\ntwo is 2\n\n");
});

test("say after a program's own output still gets its blank line", () => {
  const r = runCode('say "a"\nspawn "echo direct"\nsay "b"');
  assert.is(r.stdout, "a\n\ndirect\n\nb\n\n");
});

test("step prints numbered headings", () => {
  const r = runCode('step "first"\nprint 1\nstep "second"');
  assert.is(r.stdout, [
    "Step 1: first", "-------------", "", "1", "",
    "Step 2: second", "--------------", "", "",
  ].join("\n"));
});

test("raises gives the errno name of a failed syscall", () => {
  const r = runCode('fn join_it() { setns 999999999 }\nprint raises(join_it)');
  assert.is(r.stdout, "ESRCH\n", r.stderr);
});

test("raises gives the message of an error without an errno", () => {
  const r = runCode('fn bad() { return 1 + "a" }\nprint raises(bad)');
  assert.match(r.stdout, /^cannot add number and string/);
});

test("raises gives null when nothing was raised, and passes arguments", () => {
  const r = runCode('fn half(n) { return n / 2 }\nprint raises(half, 4)');
  assert.is(r.stdout, "null\n");
});

test("expect raises(...) == CODE reads as a check", () => {
  const code = 'fn gone() { setns 999999999 }\nexpect raises(gone) == "EPERM"';
  const r = runCode(code);
  assert.is(r.status, 1);
  assert.match(r.stderr, /expect failed: raises\(gone\) == "EPERM"/);
  assert.match(r.stderr, /left:  "ESRCH"/);
});

test("a failed expect inside raises is the tutorial's failure", () => {
  const r = runCode('fn f() { expect 1 == 2 }\nprint raises(f)\nprint "not here"');
  assert.is(r.status, 1);
  assert.is(r.stdout, "");
});

test("raises needs a function", () => {
  const r = runCode('print raises("setns 1")');
  assert.is(r.status, 70);
  assert.match(r.stderr, /raises needs a function \(declare one with fn\), found string/);
});

test("shares and isolated compare one kind of two targets", () => {
  const r = runCode([
    'let p = clone net, uts "sleep 30" &',
    'print shares(host, p, "pid"), shares(host, p, "net")',
    'print isolated(host, p, "uts"), isolated(host, p, "mount")',
    "p.kill()",
  ].join("\n"));
  assert.is(r.stdout, "true false\ntrue false\n", r.stderr);
});

test("shares names the kinds when given something else", () => {
  const r = runCode('print shares(host, session(), "network")');
  assert.is(r.status, 70);
  assert.match(r.stderr, /expected a namespace kind \(user, mnt, .*time\), found "network"/);
});

test("shares refuses a target it cannot see", () => {
  const r = runCode('print shares(host, 999999999, "net")');
  assert.is(r.status, 70);
  assert.match(r.stderr, /no process 999999999/);
});

test("nsrepl_command runs nsrepl itself", () => {
  const r = runCode('let r = spawn capture nsrepl_command() + ["-e", "print 6 * 7"]\nprint r.stdout');
  assert.is(r.stdout, "42\n\n", r.stderr);
});

test("--step with no terminal shows each statement and does not pause", () => {
  const r = detached(["--step", "-e", 'step "one"\nlet x = 2\nprint x * 3']);
  assert.is(r.status, 0, r.stderr);
  assert.is(r.stdout, [
    "Step 1: one", "-----------", "", "nsrepl> let x = 2", "nsrepl> print x * 3",
    "6", "",
  ].join("\n"));
});

test("--step shows a statement of several lines with continuation marks", () => {
  const r = detached(["--step", "-"], "if true {\n  print 1\n}\n# trailing\n");
  assert.is(r.stdout, "nsrepl> if true {\n...   print 1\n... }\n1\n");
});

test.run();
