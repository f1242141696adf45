// The history file: where it is, what it lets in, how it refuses a file
// that root must not write; and history in a real terminal (Up, Ctrl-R,
// a restart).
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  chownSync, lchownSync, linkSync, lstatSync, mkdirSync, mkdtempSync,
  readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { History, KEEP, historyPlace } from "../interpreter/repl-history.js";
import { Terminal } from "./helpers/pty.js";

let dir = "";
test.before.each(() => {
  dir = mkdtempSync(join(tmpdir(), "nsrepl-history-"));
});
test.after.each(() => rmSync(dir, { recursive: true, force: true }));

const mode = (path: string) => statSync(path).mode & 0o777;

function open(path: string, ownDir = false) {
  const warnings: string[] = [];
  const h = new History({ path, ownDir }, (w) => warnings.push(w));
  return { h, warnings };
}

test("NSREPL_HISTORY first, then XDG_STATE_HOME, then ~/.local/state", () => {
  assert.equal(historyPlace({ NSREPL_HISTORY: "/x/h" }),
    { path: "/x/h", ownDir: false });
  assert.is(historyPlace({ NSREPL_HISTORY: "" }), null);
  assert.is(historyPlace({ XDG_STATE_HOME: "/s" })!.path,
    "/s/nsrepl/history");
  assert.match(historyPlace({ XDG_STATE_HOME: "rel" })!.path,
    /\/\.local\/state\/nsrepl\/history$/);
});

test("lines are appended as entered, mode 0600, and read back newest first",
  () => {
    const path = join(dir, "h");
    const { h } = open(path);
    for (const line of ["one", "", "two", "two", " secret", "three"]) {
      h.add(line);
    }
    h.close();
    assert.is(readFileSync(path, "utf8"), "one\ntwo\nthree\n");
    assert.is(mode(path), 0o600);
    const again = open(path).h;
    assert.equal(again.entries, ["three", "two", "one"]);
    again.close();
  });

test("a history file readable by others is made 0600", () => {
  const path = join(dir, "h");
  writeFileSync(path, "old\n", { mode: 0o644 });
  open(path).h.close();
  assert.is(mode(path), 0o600);
});

test("a symbolic link is refused, not followed", () => {
  const target = join(dir, "target");
  writeFileSync(target, "keep\n", { mode: 0o644 });
  symlinkSync(target, join(dir, "h"));
  const { h, warnings } = open(join(dir, "h"));
  h.add("print 1");
  assert.match(warnings.join(),
    /history not saved: '.*\/h' is a symbolic link \(NSREPL_HISTORY=FILE/);
  assert.is(readFileSync(target, "utf8"), "keep\n");
  assert.is(mode(target), 0o644);
});

test("a dangling symbolic link creates nothing at its target", () => {
  symlinkSync(join(dir, "made"), join(dir, "h"));
  const { warnings } = open(join(dir, "h"));
  assert.is(warnings.length, 1);
  assert.throws(() => lstatSync(join(dir, "made")));
});

test("a file with a second hard link is refused", () => {
  writeFileSync(join(dir, "other"), "");
  linkSync(join(dir, "other"), join(dir, "h"));
  const { warnings } = open(join(dir, "h"));
  assert.match(warnings.join(), /has another hard link/);
});

test("nsrepl's own directory is made 0700; a linked one is refused", () => {
  const path = join(dir, "state", "nsrepl", "history");
  open(path, true).h.close();
  assert.is(mode(join(dir, "state", "nsrepl")), 0o700);
  assert.is(mode(path), 0o600);

  mkdirSync(join(dir, "other"));
  symlinkSync(join(dir, "state", "nsrepl"), join(dir, "other", "nsrepl"));
  const { warnings } = open(join(dir, "other", "nsrepl", "history"), true);
  assert.match(warnings.join(), /'.*\/other\/nsrepl' is a symbolic link/);
});

test("a directory reached through another user's link is refused; nothing is written there", () => {
  const target = join(dir, "target");
  mkdirSync(target);
  const theirs = join(dir, "theirs");
  mkdirSync(theirs);
  chownSync(theirs, 65534, 65534);
  symlinkSync(target, join(theirs, "state"));
  lchownSync(join(theirs, "state"), 65534, 65534);
  for (const ownDir of [false, true]) {
    const path = join(theirs, "state", ownDir ? "deep/nsrepl/history" : "h");
    const { warnings } = open(path, ownDir);
    assert.match(warnings.join(), /symbolic link owned by uid 65534/);
  }
  assert.equal(readdirSync(target), []);
});

test("a long history is cut back to the newest entries", () => {
  const path = join(dir, "h");
  const lines = Array.from({ length: 2 * KEEP + 5 }, (_, i) => `l${i}`);
  writeFileSync(path, lines.join("\n") + "\n", { mode: 0o600 });
  const { h } = open(path);
  h.close();
  const kept = readFileSync(path, "utf8").trim().split("\n");
  assert.is(kept.length, KEEP);
  assert.is(kept.at(-1), `l${2 * KEEP + 4}`);
  assert.is(h.entries[0], `l${2 * KEEP + 4}`);
});

test("history survives a restart: Up brings back the last session's line",
  async () => {
    const env = { NSREPL_HISTORY: join(dir, "h") };
    let t = new Terminal({ env });
    try {
      await t.waitFor(/nsrepl> $/);
      t.type("print 40 + 2\r");
      await t.waitFor(/42\r?\nnsrepl> $/);
      t.type("\x04");
      assert.is(await t.exit(), 0);
    } finally {
      t.kill();
    }
    assert.is(mode(join(dir, "h")), 0o600);
    t = new Terminal({ env });
    try {
      await t.waitFor(/nsrepl> $/);
      t.type("\x1b[A");
      await t.waitFor(/nsrepl> print 40 \+ 2$/);
      const at = t.mark();
      t.type("\r");
      await t.waitFor(/42\r?\n/, at);
    } finally {
      t.kill();
    }
  });

test("Ctrl-R finds an earlier line as it is typed; Enter runs it",
  async () => {
    const t = new Terminal({ env: { NSREPL_HISTORY: join(dir, "h") } });
    try {
      await t.waitFor(/nsrepl> $/);
      t.type('print "alpha"\r');
      await t.waitFor(/alpha\r?\n/);
      t.type('print "beta"\r');
      await t.waitFor(/beta\r?\n/);
      const at = t.mark();
      t.type("\x12");
      t.type("alp");
      await t.waitFor(/\(reverse-i-search\)'alp': print "alpha"$/, at);
      t.type("\r");
      await t.waitFor(/\nalpha\r?\n[\s\S]*nsrepl> $/, at);
    } finally {
      t.kill();
    }
  });

test.run();
