// The forgiving scanner behind highlighting and completion, and the
// colors it leads to.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { lex } from "../interpreter/repl-lex.js";
import { highlight } from "../interpreter/repl-highlight.js";
import { colorsFor } from "../interpreter/colors.js";
import { plain, Terminal } from "./helpers/pty.js";

const c = colorsFor(true);
const tricky = [
  'print "a ${f("}")} b" # c',
  'spawn "unterminated',
  "let r = 'raw \\' still' + 1.5",
  '"${ open',
  "clone pid, mnt mount proc \"sh\" &",
  "x\n  { y }\t;",
];

test("lexemes cover the text end to end, whatever is typed", () => {
  for (const text of tricky) {
    const parts = lex(text).map((l) => text.slice(l.start, l.end));
    assert.is(parts.join(""), text);
  }
});

test("a string the input ends inside is marked open", () => {
  const last = lex('spawn "ec').at(-1)!;
  assert.equal([last.kind, last.open, last.quoteAt], ["string", true, 6]);
  assert.not.ok(lex('"done"').at(-1)!.open);
  assert.is(lex('"${p.').at(-1)!.kind, "punct");
});

test("highlighting adds colors and changes no character", () => {
  for (const text of tricky) assert.is(plain(highlight(text, 0, c)), text);
});

test("kinds are colored only where a statement takes them", () => {
  assert.ok(highlight('clone net "x"', 0, c).includes(c.cyan("net")));
  assert.ok(highlight('clone net "x"', 0, c).includes(c.green('"x"')));
  assert.not.ok(highlight("let net = 1", 0, c).includes(c.cyan("net")));
  assert.not.ok(highlight("p.net", 0, c).includes(c.cyan("net")));
  assert.ok(highlight("clone user map root", 0, c).includes(c.blue("root")));
});

test("only the text after `from` comes back; the rest is context", () => {
  const text = 'print "one\ntwo" + 2';
  const line = highlight(text, text.indexOf("two"), c);
  assert.is(plain(line), 'two" + 2');
  assert.ok(line.startsWith(c.green('two"')));
});

test("with colors on, the line is redrawn in color as it is typed",
  async () => {
    const t = new Terminal({ env: { NO_COLOR: "", FORCE_COLOR: "1" } });
    try {
      await t.waitFor(/nsrepl> $/);
      t.type("clone net");
      await t.waitFor(/clone net$/);
      await new Promise((r) => setTimeout(r, 100));
      assert.ok(t.bytes.includes(c.cyan("net")), JSON.stringify(t.bytes));
    } finally {
      t.kill();
    }
  });

test.run();
