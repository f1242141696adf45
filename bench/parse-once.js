// Parses one script in a fresh node and prints, as JSON, how long loading
// the grammar, building the parser and parsing took. Run by parse.js, once
// per round. nsrepl starts from a V8 snapshot taken after its parser was
// built and run once (interpreter/main.ts), so `parse` is what
// `nsrepl script.ns` pays for parsing; without the snapshot it would pay
// `load` and `build` as well.
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const [grammar, script] = process.argv.slice(2);
const text = readFileSync(script, "utf8");

// A few forms, as the snapshot's warm-up runs before it is saved.
const WARM_UP = `
let a = [1, "two \${3}", true, null, -4 * (5 + 6) % 7]
fn f(x, y) { return x.pid == y or not x and y != 1 }
if a[0] >= 1 { a = a } else { while false { } }
clone user, pid, mnt map root mount proc ["id", "-u"] &
`;

const start = performance.now();
const { parse } = await import(pathToFileURL(grammar).href);
const loaded = performance.now();
parse(WARM_UP, "<warm-up>");
const built = performance.now();
const program = parse(text, script);
const end = performance.now();

if (program.body.length === 0) throw new Error(`${script}: no statements`);
console.log(JSON.stringify({
  load: loaded - start, build: built - loaded, parse: end - built,
}));
