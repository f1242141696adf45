import { test } from "uvu";
import * as assert from "uvu/assert";
import { WordError, splitWords } from "../../interpreter/words.js";

const lit = (text: string) => ({ text, fromValue: false });
const val = (text: string) => ({ text, fromValue: true });

test("splits on blanks like a shell", () => {
  assert.equal(splitWords([lit("  ps   aux ")]), ["ps", "aux"]);
});

test("single quotes group words and keep everything literal", () => {
  assert.equal(splitWords([lit(`sh -c 'echo "hi" $$'`)]), ["sh", "-c", `echo "hi" $$`]);
});

test("double quotes group, and backslash escapes only \\ \" $ `", () => {
  assert.equal(splitWords([lit(`echo "a \\"b\\" \\n"`)]), ["echo", `a "b" \\n`]);
});

test("an empty quoted word is still a word", () => {
  assert.equal(splitWords([lit(`printf '%s|' '' x`)]), ["printf", "%s|", "", "x"]);
});

test("interpolated values stay one word, quotes and blanks included", () => {
  const argv = splitWords([lit("echo "), val("a b'; rm -rf /"), lit(" end")]);
  assert.equal(argv, ["echo", "a b'; rm -rf /", "end"]);
});

test("a value glues onto the literal text around it", () => {
  assert.equal(splitWords([lit("--name="), val("x y")]), ["--name=x y"]);
});

test("an unclosed quote is an error", () => {
  assert.throws(() => splitWords([lit("echo 'oops")]), (e: unknown) =>
    e instanceof WordError && /unclosed '/.test(e.message));
});

test.run();
