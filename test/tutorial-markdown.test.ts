// Markdown tutorials: `nsrepl FILE.md` runs the ```ns blocks in order,
// in one session, with the prose around them; errors point into the file.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "./helpers/cli.js";
import type { CliResult } from "./helpers/cli.js";

function runMarkdown(lines: string[]): CliResult & { file: string } {
  const dir = mkdtempSync(join(tmpdir(), "nsrepl-md-"));
  const file = join(dir, "lesson.md");
  try {
    writeFileSync(file, lines.join("\n") + "\n");
    return { ...runCli([file]), file };
  } finally {
    rmSync(dir, { recursive: true });
  }
}

const fence = "```";

test("prose and headings print around the output of each block", () => {
  const r = runMarkdown([
    "# Lesson", "", "First we", "count.", "",
    `${fence}ns`, "let n = 1", 'print "n is ${n}"', fence, "",
    "## Then", "", "We count on.", "",
    `${fence}ns`, "n = n + 1", 'print "n is ${n}"', fence,
  ]);
  assert.is(r.status, 0, r.stderr);
  assert.is(r.stdout, [
    "# Lesson", "", "First we count.", "", "n is 1", "",
    "## Then", "", "We count on.", "", "n is 2", "",
  ].join("\n"));
});

test("code blocks in other languages are shown, not run", () => {
  const r = runMarkdown([`${fence}sh`, "print 1", fence]);
  assert.is(r.stdout, "    print 1\n\n");
});

test("a runtime error points at its line in the .md file", () => {
  const r = runMarkdown([
    "# T", "", `${fence}ns`, "print 1", fence, "", "text", "",
    `${fence}ns`, "let x = 1", "print x + undefined_name", fence,
  ]);
  assert.is(r.status, 70);
  assert.match(r.stderr, /lesson\.md:11:11: error: 'undefined_name' is not defined/);
  assert.match(r.stderr, /\n  print x \+ undefined_name\n/);
});

test("a failed expect stops the file and exits 1", () => {
  const r = runMarkdown([
    `${fence}ns`, "expect 1 + 1 == 3", fence, "", "never printed", "",
    `${fence}ns`, 'print "never run"', fence,
  ]);
  assert.is(r.status, 1);
  assert.match(r.stderr, /lesson\.md:2:1: error: expect failed: 1 \+ 1 == 3/);
  assert.not.match(r.stdout, /never/);
});

test("a syntax error in any block stops the file before anything runs", () => {
  const r = runMarkdown([
    `${fence}ns`, 'print "first"', fence, "",
    `${fence}ns`, "let = 3", fence,
  ]);
  assert.is(r.status, 65);
  assert.is(r.stdout, "");
  assert.match(r.stderr, /lesson\.md:6:5: error: expected a name after 'let'/);
});

test("a block's namespaces and processes carry into the next", () => {
  const r = runMarkdown([
    `${fence}ns`, "unshare uts hostname \"mdbox\"", fence, "",
    `${fence}ns`, 'let r = spawn capture "hostname"', "print trim(r.stdout)", fence,
  ]);
  assert.is(r.stdout, "mdbox\n", r.stderr);
});

test.run();
