// The text side of tutorials: prose reflowed for the terminal, and the
// pieces a Markdown tutorial is made of.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { reflow } from "../../interpreter/tutorial-prose.js";
import { parseMarkdown } from "../../interpreter/markdown.js";

const long = "word ".repeat(60).trim();

test("prose is filled to the width, never past it", () => {
  const lines = reflow(long, 40);
  assert.ok(lines.length > 1);
  for (const line of lines) assert.ok(line.length <= 40, line);
  assert.is(lines.join(" "), long);
});

test("the source's line breaks and indentation are not kept", () => {
  const text = "one two\n     three\n     four";
  assert.equal(reflow(text, 80), ["one two three four"]);
});

test("a blank line separates paragraphs, kept as one blank line", () => {
  assert.equal(reflow("a\n\n\n   b", 80), ["a", "", "b"]);
});

test("list items start their own line and hang under their text", () => {
  const lines = reflow("intro:\n- first item is long\n- second", 12);
  assert.equal(lines, ["intro:", "- first item", "  is long", "- second"]);
});

test("lines indented 4 past the others are code, kept as written", () => {
  const text = "run\n     this:\n\n         ip link   show";
  assert.equal(reflow(text, 80), ["run this:", "", "    ip link   show"]);
});

test("a word longer than the width gets a line of its own", () => {
  assert.equal(reflow("a xxxxxxxxxx b", 5), ["a", "xxxxxxxxxx", "b"]);
});

test("markdown: headings, prose, runnable blocks and other blocks", () => {
  const md = [
    "# Title", "", "Some text", "on two lines.", "",
    "```ns", "print 1", "```", "",
    "```console", "$ ls", "```",
  ].join("\n");
  assert.equal(parseMarkdown(md), [
    { type: "heading", text: "# Title", line: 1 },
    { type: "prose", text: "Some text\non two lines.", line: 3 },
    { type: "code", code: "print 1", line: 7 },
    { type: "verbatim", lines: ["$ ls"], line: 11 },
  ]);
});

test("markdown: a code block's line is its first code line", () => {
  const pieces = parseMarkdown("x\n\n~~~nsrepl\n\nlet a = 1\n~~~\n");
  assert.equal(pieces[1], { type: "code", code: "\nlet a = 1", line: 4 });
});

test("markdown: a longer fence is closed only by one as long", () => {
  const pieces = parseMarkdown("````ns\n```\nprint 1\n````\nafter");
  assert.equal(pieces[0], { type: "code", code: "```\nprint 1", line: 2 });
  assert.equal(pieces[1].type, "prose");
});

test("markdown: comments are dropped and links keep their address", () => {
  const pieces = parseMarkdown("<!-- a\nnote -->\nsee [the post](https://x.y/p)");
  assert.equal(pieces, [
    { type: "prose", text: "see the post (https://x.y/p)", line: 3 },
  ]);
});

test("markdown: a heading or fence ends a paragraph", () => {
  const pieces = parseMarkdown("text\n## Next\nmore\n```ns\nprint 2\n```");
  assert.equal(pieces.map((p) => p.type), ["prose", "heading", "prose", "code"]);
});

test.run();
