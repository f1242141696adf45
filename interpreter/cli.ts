// The command line: argument parsing, then dispatch to the file runner,
// -e, standard input, the REPL or a helper job. Usage errors exit 64.

import { readFileSync } from "node:fs";
import { Driver, EXIT } from "./driver.js";
import { HELP, VERSION } from "./usage.js";
import { setTrace } from "../stdlib/trace.js";

interface Invocation {
  mode: "file" | "eval" | "stdin" | "repl" | "help" | "version" | "helper";
  /** The file name or the -e code. */
  input: string;
  args: string[];
  /** --trace: print each system call as it is made. */
  trace: boolean;
}

/** Reads argv; throws a usage message for what it cannot understand. */
export function parseArgs(argv: string[]): Invocation {
  const inv: Invocation = { mode: "repl", input: "", args: [], trace: false };
  let i = 0;
  for (; i < argv.length && argv[i].startsWith("-") && argv[i] !== "-"; i++) {
    const arg = argv[i];
    if (arg === "--") { i++; break; }
    if (arg === "-h" || arg === "--help") return { ...inv, mode: "help" };
    if (arg === "-V" || arg === "--version") return { ...inv, mode: "version" };
    if (arg === "--helper") return { ...inv, mode: "helper", args: argv.slice(i + 1) };
    if (arg === "-t" || arg === "--trace" || arg === "--verbose") inv.trace = true;
    else if (arg === "-e" || arg === "--eval") return evalMode(inv, argv.slice(i + 1));
    else throw new UsageError(`unknown option '${arg}'`);
  }
  return positional(inv, argv.slice(i));
}

function evalMode(inv: Invocation, rest: string[]): Invocation {
  if (rest.length === 0) throw new UsageError("option '-e' needs the code to run");
  return { ...inv, mode: "eval", input: rest[0], args: rest.slice(1) };
}

function positional(inv: Invocation, rest: string[]): Invocation {
  if (rest.length === 0) {
    return { ...inv, mode: process.stdin.isTTY ? "repl" : "stdin" };
  }
  if (rest[0] === "-") return { ...inv, mode: "stdin", args: rest.slice(1) };
  return { ...inv, mode: "file", input: rest[0], args: rest.slice(1) };
}

class UsageError extends Error {}

async function main(argv: string[]): Promise<number> {
  let inv: Invocation;
  try {
    inv = parseArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`nsrepl: ${error.message}\nTry 'nsrepl --help'.\n`);
    return EXIT.usage;
  }
  return dispatch(inv);
}

async function dispatch(inv: Invocation): Promise<number> {
  if (inv.trace) setTrace((line) => process.stderr.write(`${line}\n`));
  switch (inv.mode) {
    case "help": process.stdout.write(HELP); return EXIT.ok;
    case "version": process.stdout.write(`nsrepl ${VERSION}\n`); return EXIT.ok;
    case "helper": return (await import("../stdlib/helper.js")).runHelper(inv.args);
    case "repl": return (await import("./repl.js")).startRepl();
    case "eval": return runSource(inv.input, "-e", inv.args);
    case "stdin": return runSource(readFileSync(0, "utf8"), "<stdin>", inv.args);
    case "file": return runFile(inv.input, inv.args);
  }
}

async function runFile(file: string, args: string[]): Promise<number> {
  let source: string;
  try {
    source = readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code ?? String(error);
    process.stderr.write(`nsrepl: cannot read '${file}': ${why}\n`);
    return EXIT.usage;
  }
  return runSource(source, file, args);
}

async function runSource(source: string, file: string, args: string[]): Promise<number> {
  const driver = new Driver({ interactive: false, args });
  try {
    return (await driver.run(source, file)).status;
  } finally {
    driver.close();
  }
}

// A helper job keeps running (a listener) until killed: exit only when
// the job says it is done.
main(process.argv.slice(2)).then(
  (status) => {
    if (process.argv[2] !== "--helper" || status !== 0) process.exit(status);
  },
  (error) => {
    process.stderr.write(`nsrepl: internal error: ${error?.message ?? error}\n`);
    process.exit(EXIT.runtime);
  },
);
