// The REPL's dot commands: .save writes a script that nsrepl runs, .load
// runs one in the session, .clear starts over, .trace shows system
// calls; and help that fits 80 columns.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync }
  from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  HELP_TOPICS, builtinsHelp, helpText,
} from "../interpreter/repl-help.js";
import { commandsHelp } from "../interpreter/repl-commands.js";
import { builtinHelp } from "../interpreter/repl-help-builtins.js";
import { parse } from "../grammar/index.js";
import { runCli } from "./helpers/cli.js";
import { alive } from "./helpers/proc.js";
import { Terminal, session as sessionWith } from "./helpers/pty.js";

let dir = "";
test.before.each(() => {
  dir = mkdtempSync(join(tmpdir(), "nsrepl-commands-"));
});
test.after.each(() => rmSync(dir, { recursive: true, force: true }));

const session = (body: (t: Terminal) => Promise<void>) =>
  sessionWith(body, { env: { NSREPL_HISTORY: "" } });

/** Types a line and waits for the prompt (or `... `) after its output. */
async function enter(t: Terminal, line: string): Promise<string> {
  const at = t.mark();
  t.type(line + "\r");
  return t.waitFor(/\r?\n(nsrepl(?: \[[a-z ]+\])?> |\.\.\. )$/, at);
}

test(".save writes what ran without error, as a script nsrepl runs", () =>
  session(async (t) => {
    const file = join(dir, "saved.ns");
    await enter(t, "let x = 6");
    await enter(t, "let y = nope");
    await enter(t, "fn twice(n) {");
    await enter(t, "  return n * 2");
    await enter(t, "}");
    await enter(t, 'print "x is ${twice(x)}"');
    const said = await enter(t, `.save ${file}`);
    assert.match(said, /saved 3 entries to '.*saved\.ns'/);
    const text = readFileSync(file, "utf8");
    assert.not.match(text, /nope/);
    const r = runCli([file]);
    assert.is(r.status, 0, r.stderr);
    assert.is(r.stdout, "x is 12\n");
  }));

test(".load runs a file in the session: its variables stay", () =>
  session(async (t) => {
    const file = join(dir, "lib.ns");
    writeFileSync(file, 'let greeting = "hello"\nunshare uts\n');
    await enter(t, `.load ${file}`);
    const shown = await enter(t, "print greeting");
    assert.match(shown, /hello\r?\nnsrepl \[uts\]> $/);
    assert.match(await enter(t, ".load /nonexistent.ns"),
      /cannot read '\/nonexistent\.ns': no such file/);
  }));

test(".clear ends the session's processes and forgets its variables", () =>
  session(async (t) => {
    await enter(t, "unshare net");
    await enter(t, "let h = clone net");
    const text = await enter(t, 'print "pid=${h.pid}"');
    const pid = Number(/pid=(\d+)/.exec(text)![1]);
    assert.ok(existsSync(`/proc/${pid}`));
    assert.match(await enter(t, ".clear"), /cleared: .*\r?\nnsrepl> $/);
    assert.match(await enter(t, "print h"), /'h' is not defined/);
    for (let i = 0; i < 150 && existsSync(`/proc/${pid}`); i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.not.ok(existsSync(`/proc/${pid}`), `holder ${pid} still there`);
  }));

test(".clear also ends what the session's programs started", () =>
  session(async (t) => {
    const text = await enter(t,
      `spawn "sh -c 'sleep 1006 < /dev/null > /dev/null 2>&1 & echo pid=$!'"`);
    const pid = Number(/pid=(\d+)/.exec(text)![1]);
    assert.ok(alive(pid), "the shell's child outlives the shell");
    try {
      await enter(t, ".clear");
      for (let i = 0; i < 150 && alive(pid); i++) {
        await new Promise((r) => setTimeout(r, 20));
      }
      assert.not.ok(alive(pid), `sleep ${pid} still there`);
    } finally {
      if (alive(pid)) process.kill(pid, "SIGKILL");
    }
  }));

test(".trace on shows each system call; .trace off stops it", () =>
  session(async (t) => {
    assert.match(await enter(t, ".trace on"), /tracing is on/);
    assert.match(await enter(t, "clone uts \"true\""),
      /\[\d+\] clone\(CLONE_NEWUTS\|CLONE_PIDFD\|SIGCHLD\) = \d+/);
    await enter(t, ".trace off");
    assert.not.match(await enter(t, 'spawn "true"'), /clone\(/);
    assert.match(await enter(t, ".bogus"),
      /unknown command '\.bogus': try \.help commands/);
  }));

test(".help NAME shows how a builtin is called, with a line to try", () => {
  const text = helpText("listen");
  assert.match(text, /^Usage:\n listen\(PORT\)\n\n.*like nc -l PORT/);
  assert.match(text, /\n let server = listen\(80\)$/);
  assert.match(helpText("nope"),
    /no help on 'nope'[^]*or a builtin's\s+name\s+\(\.help\s+builtins\)/);
});

test(".help gives first statements to try, each one that runs", () => {
  const tries = /To start:\n((?: .*\n)+)/.exec(helpText())![1];
  const lines = tries.trimEnd().split("\n");
  assert.is(lines.length, 3);
  for (const line of lines) parse(line.trim().split(/ {3,}/)[0], ".help");
});

test(".help setns says how to find the process to join", () => {
  assert.match(helpText("setns"), /namespaces\(\) lists who holds each\s+namespace/);
  assert.match(helpText("ns"), /\n ns session +/);
  assert.match(helpText("unshare"), /ps\s+reads \/proc[^]*unshare pid, mnt mount proc/);
});

test("every builtin's example parses", () => {
  for (const name of HELP_TOPICS) {
    const example = /\n\n (.+)$/.exec(helpText(name))?.[1];
    if (!builtinHelp(name) || !example) continue;
    parse(example, `.help ${name}`);
  }
});

test(".help builtins covers every builtin; declared functions come last",
  () => session(async (t) => {
    const fresh = await enter(t, ".help builtins");
    assert.match(fresh, /\n listen\(PORT\) +a TCP listener/);
    assert.not.match(fresh, /Declared here/);
    await enter(t, "fn twice(n) { return n * 2 }");
    assert.match(await enter(t, ".help builtins"),
      /\nDeclared here:\r?\n twice\r?\n/);
  }));

test("every help topic fits 80 columns", () => {
  const names = Array.from({ length: 60 }, (_, i) => `builtin${i}`);
  const live = { commands: commandsHelp(), builtins: builtinsHelp(names) };
  const texts = [helpText(), ...HELP_TOPICS.map((t) => helpText(t, live))];
  for (const text of texts) {
    for (const line of text.split("\n")) {
      assert.ok(line.length <= 80, `too wide: ${line}`);
    }
  }
  assert.match(helpText("errors"),
    /setns\(user\): EINVAL\n {2}rule: a process .*\n {8}\S/);
  assert.match(helpText("nope"), /no help on 'nope': try spawn, clone/);
});

test.run();
