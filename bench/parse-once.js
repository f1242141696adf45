// Parses one script in a fresh node and prints, as JSON, how long loading
// the grammar and parsing took: what a cold `nsrepl script.ns` pays
// before it runs anything. Run by parse.js, once per round.
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const [grammar, script] = process.argv.slice(2);
const text = readFileSync(script, "utf8");

const start = performance.now();
const { parse } = await import(pathToFileURL(grammar).href);
const loaded = performance.now();
const program = parse(text, script);
const end = performance.now();

if (program.body.length === 0) throw new Error(`${script}: no statements`);
console.log(JSON.stringify({ load: loaded - start, parse: end - loaded }));
