import { test } from "uvu";
import * as assert from "uvu/assert";
import { format } from "../../interpreter/reporter.js";
import { colorsFor } from "../../interpreter/colors.js";

const plain = colorsFor(false);
const at = (line: number, column: number) => ({ line, column, offset: 0 });

test("file:line:col, the source line and a caret under the column", () => {
  const text = format({
    severity: "error", message: "expected a name after 'let', found '='",
    file: "demo.ns", loc: at(2, 5), notes: ["a note"],
  }, "print 1\nlet = 3\n", plain);
  assert.is(text, [
    "demo.ns:2:5: error: expected a name after 'let', found '='",
    "  let = 3",
    "      ^",
    "  note: a note",
  ].join("\n"));
});

test("a very long line is cut around the column and the caret still lands", () => {
  const line = "x".repeat(5000) + "Y" + "x".repeat(5000);
  const text = format({
    severity: "error", message: "here", file: "f", loc: at(1, 5001),
  }, line, plain);
  const [, shown, caret] = text.split("\n");
  assert.ok(shown.length < 100);
  assert.is(shown[caret.indexOf("^")], "Y");
});

test.run();
