// The mistakes a newcomer makes, from the shell or from util-linux
// habits: each error says what to write instead, and runs nothing.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { mkdtempSync, realpathSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { failed, ok, runCode, runCodeAsNobody } from "./helpers/cli.js";

/** The diagnostics of a run that must fail with a syntax error (65). */
function syntaxError(code: string): string {
  const r = runCode(code);
  assert.is(r.status, 65, `status ${r.status}\n${r.stderr}`);
  return r.stderr;
}

test("a program typed as at a shell prompt: spawn it, as a string", () => {
  const err = failed(runCode("ps aux"));
  assert.match(err, "-e:1:1: error: 'ps' is not defined");
  assert.match(err, 'note: to run the program ps, give it to spawn as ' +
    'a string: spawn "ps aux"');
});

test("a shell line that does not even parse gets the same note", () => {
  const err = syntaxError("ip netns add box");
  assert.match(err, 'spawn "ip netns add box"');
});

test("exit, quit and help: the REPL's dot commands", () => {
  assert.match(failed(runCode("exit")), "note: in the REPL, .exit or " +
    "Ctrl-D leaves");
  assert.match(failed(runCode("quit()")), ".exit or Ctrl-D leaves");
  assert.match(failed(runCode("help")), "note: in the REPL, .help lists");
});

test("a name that is no program gets no note", () => {
  const err = failed(runCode("nosuch_word_here"));
  assert.not.match(err, "note:");
});

test("util-linux flags: the statement in nsrepl's words", () => {
  const err = syntaxError("unshare --pid --mount-proc --fork /bin/bash");
  assert.match(err, "-e:1:9: error: expected a namespace kind");
  assert.match(err, "note: nsrepl takes words, not flags");
  assert.match(err, 'is `clone pid, mnt mount proc "bash"`');
  assert.match(syntaxError("nsenter -t 1 -a"), "nsenter is setns here");
});

test("a kind by a guessed name: its real one", () => {
  assert.match(syntaxError("unshare network"),
    "note: the kind is called 'net'");
});

test("kinds without commas, and mount proc among the kinds", () => {
  assert.match(syntaxError('clone pid mnt "ps"'),
    "note: separate kinds with commas");
  assert.match(syntaxError('clone pid, mount proc "ps"'),
    "write the option 'mount proc' after all the kinds");
});

test("in setns too; a word that is no kind nor option is said to be", () => {
  assert.match(syntaxError("setns 1 network"), "the kind is called 'net'");
  assert.match(syntaxError("setns 1 net uts"),
    "put options after all of them: setns PID net, uts");
  assert.match(syntaxError("unshare net bogus"), "note: 'bogus' is " +
    "neither a kind nor an option of unshare: the options are map,");
  assert.match(syntaxError('clone net bogus "true"'),
    "'bogus' is neither a kind nor an option of clone");
  assert.not.match(syntaxError('clone net "true" extra'), "note:");
});

test("a command in two strings: one string or a list", () => {
  assert.match(syntaxError('spawn "ls" "-l"'),
    'note: the command is one string, or a list of words: spawn "ls -l"');
  assert.match(syntaxError('clone net "ip" "link"'), "is one string");
});

test("a bare word as the command: quote it", () => {
  const err = failed(runCode("spawn ps"));
  assert.match(err, 'note: a command is a string: write "ps", in quotes');
  assert.match(failed(runCode("clone pid, mnt proc")),
    "write the option 'mount proc' after all the kinds");
});

test("setns NAME, where ip netns add made NAME: quote it", () => {
  const name = `nsrepl_hint_${process.pid}`;
  const add = spawnSync("ip", ["netns", "add", name]);
  assert.is(add.status, 0, String(add.stderr));
  try {
    const err = failed(runCode(`setns ${name}`));
    assert.match(err, `note: /run/netns/${name} exists: name it as a ` +
      `string, setns "${name}"`);
  } finally {
    spawnSync("ip", ["netns", "del", name]);
  }
});

test("netns_add in the host's namespace warns; after unshare net not",
  () => {
    const name = `nsrepl_named_${process.pid}`;
    try {
      const host = runCode(`netns_add("${name}")\nnetns_del("${name}")`);
      assert.is(host.status, 0, host.stderr);
      assert.match(host.stderr, `warning: '${name}' now names the host's ` +
        "network namespace");
      assert.match(host.stderr, "note: for a new one, as ip netns add " +
        "makes: `unshare net`, then netns_add(NAME)");
      const fresh = runCode(`unshare net\nnetns_add("${name}")\n` +
        `netns_del("${name}")`);
      assert.is(fresh.status, 0, fresh.stderr);
      assert.is(fresh.stderr, "");
    } finally {
      spawnSync("ip", ["netns", "del", name]);
    }
  });

test("ns session shows the session, as ns \"session\" does", () => {
  const bare = ok(runCode("unshare uts\nns session"));
  const quoted = ok(runCode('unshare uts\nns "session"'));
  assert.match(bare, /^session\n/);
  assert.match(bare, /uts +uts:\[\d+\] +not host's/);
  assert.is(bare.replace(/\d+/g, "N"), quoted.replace(/\d+/g, "N"));
});

test("setns to a process that exited says how to find a live one", () => {
  const err = failed(runCode('let p = spawn "true"\nsetns p'));
  assert.match(err, /process \d+ has exited/);
  assert.match(err, "note: namespaces() lists the live ones");
});

test("setns to another user's process says why it is refused", () => {
  const err = failed(runCodeAsNobody(`setns ${process.pid}`));
  assert.match(err, "EACCES");
  assert.match(err, "note: a process's namespaces open only for a " +
    "process allowed to trace it");
});

test("rootless unshare net: the note gives the statement that works", () => {
  const err = failed(runCodeAsNobody("unshare net"));
  assert.match(err, "EPERM");
  assert.match(err, "`unshare user, net map root` (rootless)");
  const works = runCodeAsNobody('unshare user, net map root\n' +
    'spawn "ip -o link"');
  assert.match(ok(works), /^1: lo: /);
});

test("nc missing: listen and connect are built in", () => {
  // A PATH with no nc on it, whatever this machine has installed; the
  // launcher of bin/nsrepl needs readlink.
  const dir = mkdtempSync(join(tmpdir(), "nsrepl-path-"));
  try {
    symlinkSync(realpathSync("/bin/readlink"), join(dir, "readlink"));
    const r = runCode('let p = spawn "nc -l 80" &\nwait(p)',
      { env: { ...process.env, PATH: dir } });
    assert.match(r.stderr, "warning: nc: command not found");
    assert.match(r.stderr, "note: listen(PORT) and connect(HOST, PORT) " +
      "are built in and need no nc");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
