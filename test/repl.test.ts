// The REPL in a real pseudo-terminal.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { Terminal, session } from "./helpers/pty.js";


test("an idle REPL has not loaded koffi; the first program loads it", () =>
  session(async (t) => {
    const koffi = () => readFileSync(`/proc/${t.nsreplPid()}/maps`, "utf8")
      .includes("koffi");
    assert.not.ok(koffi(), "koffi is in memory before any program ran");
    const at = t.mark();
    t.type('spawn "true"\r');
    await t.waitFor(/nsrepl> $/, at);
    assert.ok(koffi());
  }));

test("an unclosed list continues on the next line, then the value is shown", () =>
  session(async (t) => {
    t.type("let x = [1,\r");
    await t.waitFor(/\.\.\. $/);
    t.type("2]\r");
    await t.waitFor(/nsrepl> $/);
    const at = t.mark();
    t.type("x\r");
    await t.waitFor(/\[1, 2\]\r?\n.*nsrepl> $/s, at);
  }));

test("a blank line gives up on an entry that lacks its end, and says why",
  () => session(async (t) => {
    t.type("setns\r");
    await t.waitFor(/\.\.\. $/);
    t.type("\r");
    await t.waitFor(/<repl:1>:1:6: error: expected an expression after 'setns', found end of input[\s\S]*nsrepl> $/);
  }));

test("a blank line reports a quote left open, even inside a block",
  () => session(async (t) => {
    let at = t.mark();
    t.type('spawn "ps aux\r');
    await t.waitFor(/\.\.\. $/, at);
    t.type("\r");
    await t.waitFor(/error: unterminated string[\s\S]*nsrepl> $/, at);
    at = t.mark();
    t.type('if true {\r  print "a\r\r');
    await t.waitFor(/error: unterminated string[\s\S]*nsrepl> $/, at);
  }));

test("a blank line inside a block is part of it, as in a pasted function",
  () => session(async (t) => {
    let at = t.mark();
    t.type("fn f() {\r\r  return 41 + 1\r}\r");
    await t.waitFor(/nsrepl> $/, at);
    at = t.mark();
    t.type("f()\r");
    await t.waitFor(/\b42\r?\n.*nsrepl> $/s, at);
  }));

test("a background program that cannot start is reported above a fresh prompt",
  () => session(async (t) => {
    t.type('spawn "nsrepl-no-such-tool" &\r');
    const screen = await t.waitFor(
      /nsrepl-no-such-tool: command not found[\s\S]*nsrepl> $/);
    assert.not.match(screen, /nsrepl> <repl:/);
    assert.match(screen, /[\r\n]<repl:1>:1:1: warning: nsrepl-no-such-tool/);
    const at = t.mark();
    t.type("print 6 * 7\r");
    await t.waitFor(/42\r?\nnsrepl> $/, at);
  }));

test("a background failure reported during a later entry points at the " +
  "entry that started it, and leaves that entry's output alone", () =>
  session(async (t) => {
    // Typed at once: the second entry is running when the first one's
    // program is reaped, so the report comes amid its output.
    t.type('spawn "nsrepl-no-such-tool" &\r' +
      'print "second"; sleep(1); print "third"\r');
    const screen = await t.waitFor(/third\r?\nnsrepl> $/);
    const report = screen.slice(screen.indexOf("second\r\n"));
    assert.match(report, /^second\r?\n\r?<repl:1>:1:1: warning: nsrepl-no-such-tool: command not found\r?\n  spawn "nsrepl-no-such-tool" &\r?\n  \^\r?\nthird\r?\nnsrepl> $/);
  }));

test("an error in a function points into the entry that defined it", () =>
  session(async (t) => {
    let at = t.mark();
    t.type("fn f() {\r  setns 99999\r}\r");
    await t.waitFor(/nsrepl> $/, at);
    at = t.mark();
    t.type("print 1; f()\r");
    const screen = await t.waitFor(/error:[\s\S]*nsrepl> $/, at);
    assert.match(screen, /<repl:1>:2:9: error: no process 99999: it has exited, or never existed\r?\n    setns 99999\r?\n          \^/);
    assert.not.match(screen, /<repl:2>/);
  }));

test("an error ends the statement, not the session", () =>
  session(async (t) => {
    t.type("let = 3\r");
    await t.waitFor(/<repl:1>:1:5: error: expected a name after 'let', found '='/);
    const at = t.mark();
    t.type("print 6 * 7\r");
    await t.waitFor(/42/, at);
  }));

test("an interactive shell in a fresh pid namespace is PID 1 and gives the terminal back", () =>
  session(async (t) => {
    t.type('clone pid, mnt mount proc "sh"\r');
    await t.waitFor(/# $/);
    let at = t.mark();
    t.type("echo pid=$$\r");
    await t.waitFor(/pid=1\b/, at);
    at = t.mark();
    t.type("exit\r");
    await t.waitFor(/nsrepl> $/, at);
    at = t.mark();
    t.type("print 1 + 1\r");
    await t.waitFor(/\b2\r?\n/, at);
  }));

test("Ctrl-C stops the running program, and the session goes on", () =>
  session(async (t) => {
    t.type('spawn "sleep 30"\r');
    await new Promise((r) => setTimeout(r, 500));
    let at = t.mark();
    t.type("\x03");
    await t.waitFor(/\[SIGINT\][\s\S]*nsrepl> $/, at);
    at = t.mark();
    t.type('print "alive"\r');
    await t.waitFor(/alive/, at);
  }));

test("Ctrl-C at the prompt drops the line typed so far", () =>
  session(async (t) => {
    t.type("print 5");
    await t.waitFor(/print 5$/);
    t.type("\x03");
    await t.waitFor(/\^C\r?\nnsrepl> $/);
    const at = t.mark();
    t.type("print 6\r");
    const echoed = /print 6\r*\n(.*)\r*\n/;
    assert.is(echoed.exec(await t.waitFor(echoed, at))![1], "6");
  }));

test(".help shows the statements; .exit leaves with status 0", async () => {
  const t = new Terminal();
  try {
    await t.waitFor(/nsrepl> $/);
    t.type(".help\r");
    await t.waitFor(/Statements:\r?\n spawn CMD/);
    t.type(".exit\r");
    assert.is(await t.exit(), 0);
  } finally {
    t.kill();
  }
});

test("Ctrl-D at an empty prompt leaves", async () => {
  const t = new Terminal();
  try {
    await t.waitFor(/nsrepl> $/);
    t.type("\x04");
    assert.is(await t.exit(), 0);
  } finally {
    t.kill();
  }
});

test.run();
