// Parsing: generated scripts of 10,000 statements, each parsed in a fresh
// process, in MB of source a second: with the parser already built, as
// nsrepl has it from its start-up snapshot, and, for the dense script,
// with loading the grammar and building the parser counted too. And a
// script ten times as long, whose parse should take at most eleven times
// as long (linear, give or take the JIT warming up).
// `node bench/parse.js` prints these rows alone; bench/run.js prints all.
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { median, printTable, rate, row } from "./table.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const out = `${root}bench/out`;
const once = `${root}bench/parse-once.js`;
const ROUNDS = Number(process.env.BENCH_PARSE_ROUNDS ?? 7);
const STATEMENTS = 10_000;

// What scripts are made of: namespace expressions, templates, blocks and
// calls spread over lines; or one short statement a line.
const DENSE = [
  (i) => `let p${i} = clone pid, mnt mount proc "echo \${n${i}}" &`,
  (i) => `if p${i}.status == 0 {\n  spawn ["ls", "${i}"]\n} else {` +
    `\n  x = x + ${i}\n}`,
  (i) => `expect ns(p${i}).net.id != 0, "net ${i}"; f(\n  ${i},\n)`,
];
const SIMPLE = [
  (i) => `let v${i} = ${i} * 2`,
  (i) => `print "v", v${i - 1}`,
];

function script(shapes, count) {
  const lines = [];
  for (let i = 0; i < count; i++) lines.push(shapes[i % shapes.length](i));
  return lines.join("\n") + "\n";
}

function writeScript(name, text) {
  const path = `${out}/${name}.ns`;
  writeFileSync(path, text);
  return { path, mb: Buffer.byteLength(text) / 1e6 };
}

// The grammar alone, bundled as nsrepl bundles it: no TypeScript loader
// and no interpreter in the measured process.
async function bundleGrammar() {
  const outfile = `${out}/grammar.js`;
  await build({
    entryPoints: [`${root}grammar/index.ts`], bundle: true,
    platform: "node", format: "esm", target: "node20", outfile,
    logLevel: "warning",
  });
  return outfile;
}

function parseOnce(grammar, file) {
  const r = spawnSync(process.execPath, [once, grammar, file.path],
    { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`parsing ${file.path}: ${r.stderr}`);
  const { load, build, parse } = JSON.parse(r.stdout);
  return { total: load + build + parse, parse };
}

/** Medians over the rounds, the cases interleaved round by round. */
function timeAll(grammar, files) {
  const runs = files.map(() => []);
  for (let i = 0; i < ROUNDS; i++) {
    files.forEach((f, j) => runs[j].push(parseOnce(grammar, f)));
  }
  return runs.map((rs) => ({
    total: median(rs.map((r) => r.total)),
    parse: median(rs.map((r) => r.parse)),
  }));
}

/** Runs the parsing cases; returns their table rows. */
export async function parsing() {
  mkdirSync(out, { recursive: true });
  const grammar = await bundleGrammar();
  const dense = writeScript("dense", script(DENSE, STATEMENTS));
  const simple = writeScript("simple", script(SIMPLE, STATEMENTS));
  const large = writeScript("dense-10x", script(DENSE, STATEMENTS * 10));
  const [d, s, l] = timeAll(grammar, [dense, simple, large]);
  return [
    rate("parse: 10,000 dense statements, parser built", d.parse, dense.mb,
      "MB/s", 1.0),
    rate("parse: 10,000 simple statements, parser built", s.parse,
      simple.mb, "MB/s", 1.0),
    rate("parse: 10,000 dense statements, load and build too", d.total,
      dense.mb, "MB/s", 1.0),
    row("parse: 10x the dense script vs 1x", l.parse, d.parse, 11),
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  printTable(await parsing());
}
