// The terminal shared with programs: a foreground program gets its own
// process group in front (job control works inside), nsrepl takes the
// terminal back with its modes restored, Ctrl-Z stops only the program,
// and Ctrl-D ends what the session started.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { existsSync, readFileSync } from "node:fs";
import { launch } from "../stdlib/launch.js";
import { SyscallError } from "../stdlib/errors.js";
import { liveCount } from "../stdlib/reaper.js";
import { pipe } from "../stdlib/libc.js";
import { closeFd } from "../stdlib/launch-io.js";
import { Terminal, session } from "./helpers/pty.js";
import { alive, descendants } from "./helpers/proc.js";
import { WITNESS_NAME } from "../stdlib/tty-witness.js";


/** The local modes `stty -a` shows, as a sorted list of words. */
async function localModes(t: Terminal): Promise<string> {
  const at = t.mark();
  t.type('spawn "stty -a"\r');
  const text = await t.waitFor(/\bechoctl\b.*\r?\n[\s\S]*nsrepl> $/, at);
  const words = text.split(/\s+/).filter((w) =>
    /^-?(isig|icanon|iexten|echo|echoe|echok|echonl|icrnl|opost|ixon)$/
      .test(w));
  return words.sort().join(" ");
}

test("bash in a new pid namespace is PID 1 with job control, and the " +
  "terminal comes back as it was", () =>
  session(async (t) => {
    const before = await localModes(t);
    t.type('clone pid, mnt mount proc "bash --norc --noprofile"\r');
    await t.waitFor(/\$ $|# $/, t.mark());
    let at = t.mark();
    t.type("echo pid=$$; set -o | grep monitor\r");
    await t.waitFor(/pid=1\r?\nmonitor\s+on/, at);
    at = t.mark();
    t.type("sleep 30\r");
    await new Promise((r) => setTimeout(r, 300));
    t.type("\x1a");
    await t.waitFor(/Stopped\s+sleep 30/, at);
    at = t.mark();
    t.type("fg\r");
    await t.waitFor(/sleep 30\r?\n/, at);
    t.type("\x03");
    await t.waitFor(/\^C\r?\n.*[$#] $/, at);
    t.type("exit\r");
    await t.waitFor(/exit\r?\n[\s\S]*nsrepl> $/, at);
    assert.not.match(t.screen, /no job control/);
    assert.is(await localModes(t), before);
  }));

test("a program that leaves the terminal raw does not break the next one",
  () =>
    session(async (t) => {
      const before = await localModes(t);
      t.type('spawn "stty raw -echo -icanon"; spawn "stty -a"\r');
      await t.waitFor(/echoctl[\s\S]*nsrepl> $/, t.mark());
      const at = t.mark();
      t.type('spawn "stty raw -echo"\r');
      await t.waitFor(/nsrepl> $/, at);
      assert.is(await localModes(t), before);
      assert.match(before, /(^| )icanon( |$)/);
    }));

test("Ctrl-C reaches the program alone; nsrepl and its session go on", () =>
  session(async (t) => {
    t.type("let x = 5\r");
    t.type('spawn "sleep 30"\r');
    await new Promise((r) => setTimeout(r, 500));
    let at = t.mark();
    t.type("\x03");
    await t.waitFor(/\[SIGINT\]\r?\nnsrepl> $/, at);
    at = t.mark();
    t.type("print x\r");
    await t.waitFor(/\b5\r?\n/, at);
  }));

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `pid`'s name and its pid in its own pid namespace. */
function nameAndInnerPid(pid: number): [string, string] {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const name = /^Name:\s+(.*)$/m.exec(status)![1];
  return [name, /^NSpid:.*\s(\d+)$/m.exec(status)![1]];
}

const witnesses = (t: Terminal) => descendants(t.nsreplPid()).filter((p) => {
  try {
    return readFileSync(`/proc/${p}/comm`, "utf8").trim() === WITNESS_NAME;
  } catch {
    return false;
  }
});

test("the keys at a pid namespace's init without handlers: nsrepl says " +
  "the kernel dropped each, then Ctrl-C sends SIGKILL", () =>
  session(async (t) => {
    t.type('clone pid "sleep 30"\r');
    await pause(500);
    let at = t.mark();
    t.type("\x03");
    const said = await t.waitFor(/\[Ctrl-C again sends SIGKILL to process (\d+)\]\r?\n$/, at);
    assert.match(said, /^\^C\r?\n\[SIGINT dropped: PID 1 of a pid namespace gets only the signals it handles\]\r?\n\[/);
    const pid = Number(/process (\d+)\]/.exec(said)![1]);
    assert.equal(nameAndInnerPid(pid), ["sleep", "1"]);
    for (const [key, signal] of [["\x1c", "SIGQUIT"], ["\x1a", "SIGTSTP"]]) {
      at = t.mark();
      t.type(key);
      await t.waitFor(new RegExp(`\\[${signal} dropped: PID 1 of a pid namespace gets only the signals it handles\\]\r?\n\\[Ctrl-C now sends SIGKILL to process ${pid}\\]\r?\n$`), at);
      assert.ok(alive(pid), `${signal} ended it`);
    }
    assert.is(witnesses(t).length, 1);
    at = t.mark();
    t.type("\x03");
    await t.waitFor(/^\^C\r?\n\[SIGKILL\]\r?\nnsrepl> $/, at);
    assert.not.ok(alive(pid));
    for (let i = 0; i < 50 && witnesses(t).length; i++) await pause(20);
    assert.equal(witnesses(t), []);
  }));

test("with tostop set, nsrepl says so from behind the program and lives on",
  () => session(async (t) => {
    t.type('clone pid "sleep 30"\r');
    await pause(500);
    let at = t.mark();
    t.type("\x03");
    await t.waitFor(/\[Ctrl-C again sends SIGKILL to process \d+\]\r?\n$/, at);
    at = t.mark();
    t.type("\x03");
    await t.waitFor(/\[SIGKILL\]\r?\nnsrepl> $/, at);
    at = t.mark();
    t.type('spawn "stty -a"\r');
    await t.waitFor(/(^|\s)tostop\b[\s\S]*nsrepl> $/, at);
  }, { stty: "tostop" }));

test("an init that handles SIGINT gets Ctrl-C, and nsrepl adds nothing",
  () => session(async (t) => {
    t.type(`clone pid "sh -c 'trap \\"echo caught; exit 3\\" INT; ` +
      `while :; do sleep 0.1; done'"\r`);
    await pause(500);
    const at = t.mark();
    t.type("\x03");
    const screen = await t.waitFor(/caught\r?\n\[status 3\]\r?\nnsrepl> $/, at);
    assert.not.match(screen, /dropped|SIGKILL/);
  }));

test("Ctrl-Z stops the program and gives the prompt back; .fg continues " +
  "it", () =>
  session(async (t) => {
    t.type('let p = spawn "sleep 30"\r');
    await new Promise((r) => setTimeout(r, 500));
    let at = t.mark();
    t.type("\x1a");
    await t.waitFor(/\[stopped, pid \d+: \.fg continues it\]\r?\nnsrepl> $/,
      at);
    at = t.mark();
    t.type("print p.running\r");
    await t.waitFor(/true\r?\n/, at);
    at = t.mark();
    t.type(".fg\r");
    await new Promise((r) => setTimeout(r, 300));
    t.type("\x03");
    await t.waitFor(/\[SIGINT\]\r?\nnsrepl> $/, at);
    at = t.mark();
    t.type(".fg\r");
    await t.waitFor(/no stopped program/, at);
  }));

test("Ctrl-D ends the holders the session started", async () => {
  const t = new Terminal();
  try {
    await t.waitFor(/nsrepl> $/);
    t.type("let h = clone net\r");
    t.type('print "holder=${h.pid}"\r');
    // Typed before the prompt is back, Ctrl-D would reach the terminal
    // in cooked mode, where it means end of file to a program, not a key.
    const text = await t.waitFor(/holder=(\d+)\r?\nnsrepl> $/);
    const pid = Number(/holder=(\d+)/.exec(text)![1]);
    assert.ok(existsSync(`/proc/${pid}`));
    t.type("\x04");
    assert.is(await t.exit(), 0);
    for (let i = 0; i < 150 && existsSync(`/proc/${pid}`); i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.not.ok(existsSync(`/proc/${pid}`), `holder ${pid} outlived nsrepl`);
  } finally {
    t.kill();
  }
});

test("the launcher refuses a terminal that is not one, and leaves no " +
  "child", async () => {
  const [r, w] = pipe();
  const live = liveCount();
  try {
    launch({
      argv: ["true"], env: [], cwd: null, join: {}, create: [],
      createForChildren: [], maps: null, mountProc: false,
      propagation: "private", hostname: null, foreground: { tty: r },
      stdio: [{ type: "null" }, { type: "null" }, { type: "null" }],
    });
    assert.unreachable("launched");
  } catch (error) {
    assert.instance(error, SyscallError);
    assert.match(String((error as Error).message), /tcsetpgrp.*ENOTTY/);
  } finally {
    closeFd(r);
    closeFd(w);
  }
  assert.is(liveCount(), live);
});

test.run();
