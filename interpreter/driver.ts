// One driver runs source text for every front end: a file, -e, standard
// input and each entry of the REPL. It owns the interpreter and turns
// every error into a diagnostic and an exit status.

import { ParseError, parse } from "../grammar/index.js";
import type { Loc, Program, Stmt } from "../grammar/ast.js";
import type { Colors } from "./colors.js";
import { stderrColors } from "./colors.js";
import { ScriptError } from "./errors.js";
import type { ForegroundTerminal, Host } from "./host.js";
import { Interpreter } from "./interpreter.js";
import { syntaxNotes, undefinedNotes } from "./hints.js";
import { format } from "./reporter.js";
import type { Origin } from "./reporter.js";
import type { Value } from "./values.js";

/** Exit statuses, as sysexits.h and Crafting Interpreters use them. */
export const EXIT = {
  ok: 0, expectFailed: 1, usage: 64, script: 65, runtime: 70,
} as const;

export interface Outcome {
  status: number;
  /** The value of a final expression statement (the REPL echoes it). */
  value: Value;
  /** The node type of that expression, so the REPL can choose how. */
  statement: string | null;
  /** The input ended too early (the REPL asks for another line). */
  incomplete: boolean;
}

export interface DriverOptions {
  interactive: boolean;
  args: string[];
  colors?: Colors;
  out?: (text: string) => void;
  err?: (text: string) => void;
  /** The REPL's terminal, for programs run in the foreground. */
  terminal?: ForegroundTerminal;
  /** Told of each top-level statement, with its source, before it runs. */
  beforeStatement?: (stmt: Stmt, text: string) => void;
}

export class Driver {
  readonly interp: Interpreter;
  private readonly colors: Colors;
  private readonly err: (text: string) => void;
  private readonly beforeStatement: DriverOptions["beforeStatement"];

  constructor(opts: DriverOptions) {
    this.colors = opts.colors ?? stderrColors();
    this.beforeStatement = opts.beforeStatement;
    this.err = opts.err ?? ((t) => process.stderr.write(t + "\n"));
    const out = opts.out ?? ((t: string) => process.stdout.write(t + "\n"));
    this.interp = new Interpreter(this.host(opts, out));
    this.interp.globals.define("args", opts.args);
  }

  /** Parses only: null when complete, or the parse error. */
  tryParse(source: string, file: string): ParseError | null {
    try {
      parse(source, file);
      return null;
    } catch (error) {
      if (error instanceof ParseError) return error;
      throw error;
    }
  }

  /** Parses and runs `source`, reporting any error on stderr. */
  async run(source: string, file: string): Promise<Outcome> {
    this.interp.origin = { file, source };
    let program: Program;
    try {
      program = parse(source, file);
    } catch (error) {
      return this.parseFailed(error);
    }
    return this.execute(program);
  }

  /** Ends the session: processes, holders, namespace handles. */
  close(): void {
    this.interp.close();
  }

  private parseFailed(error: unknown): Outcome {
    if (!(error instanceof ParseError)) throw error;
    // The REPL asks for more lines while input is incomplete; it runs
    // an incomplete entry only when a blank line gives up on it, and
    // then the user must hear what was missing.
    const notes = syntaxNotes(this.source, error.message, error.loc);
    this.report("error", error.message, error.loc, notes);
    const incomplete = error.incomplete;
    return { status: EXIT.script, value: null, statement: null, incomplete };
  }

  private async execute(program: Program): Promise<Outcome> {
    try {
      const value = await this.runEach(program);
      const last = program.body.at(-1);
      const statement = last?.type === "ExprStmt" ? last.expr.type : null;
      return { status: EXIT.ok, value, statement, incomplete: false };
    } catch (error) {
      const status = this.runFailed(error);
      return { status, value: null, statement: null, incomplete: false };
    }
  }

  // A tutorial's narrator (step mode) hears of each statement before it
  // runs, so the program runs one top-level statement at a time.
  private async runEach(program: Program): Promise<Value> {
    if (!this.beforeStatement) return this.interp.run(program);
    let value: Value = null;
    for (const [i, stmt] of program.body.entries()) {
      this.beforeStatement(stmt, statementText(this.source, program.body, i));
      value = await this.interp.run({ ...program, body: [stmt] });
    }
    return value;
  }

  private runFailed(error: unknown): number {
    if (error instanceof ScriptError) {
      const notes = this.notesOf(error);
      this.report("error", error.message, error.loc, notes, error.origin);
      return error.kind === "expect" ? EXIT.expectFailed : EXIT.runtime;
    }
    // A tree deeper than the evaluator's stack (a 10,000-term sum) is the
    // script's doing, not a bug: say so without a stack trace.
    if (error instanceof RangeError && /call stack/.test(error.message)) {
      this.report("error", "the script nests too deeply to evaluate", null);
      return EXIT.runtime;
    }
    // Anything else is nsrepl's own bug: say so plainly; the stack only
    // when asked for, since it helps us and not the user.
    const text = error instanceof Error ? error.message : String(error);
    this.err(`nsrepl: internal error: ${text}`);
    if (process.env.NSREPL_DEBUG && error instanceof Error) this.err(String(error.stack));
    return EXIT.runtime;
  }

  // A bare word that is not defined may be a program typed as at a shell.
  private notesOf(error: ScriptError): string[] {
    const name = /^'(\w[\w.+-]*)' is not defined$/.exec(error.message)?.[1];
    if (!name || !error.loc || error.notes.length) return error.notes;
    const source = (error.origin ?? this.interp.origin).source;
    return undefinedNotes(source, name, error.loc);
  }

  /** The source text being run (a function's while its body runs). */
  private get source(): string {
    return this.interp.origin.source;
  }

  // A location is shown against the source it is in: `origin`, else the
  // one being run.
  private report(
    severity: "error" | "warning", message: string, loc: Loc | null,
    notes: string[] = [], origin: Origin | null = null,
  ): void {
    const { file, source } = origin ?? this.interp.origin;
    const d = { severity, message, file, loc, notes };
    this.err(format(d, source, this.colors));
  }

  private host(opts: DriverOptions, out: (text: string) => void): Host {
    const driver = this;
    return {
      get file() {
        return driver.interp.origin.file;
      },
      interactive: opts.interactive,
      terminal: opts.terminal,
      out,
      warn: (message, loc, notes, origin) =>
        this.report("warning", message, loc, notes, origin),
    };
  }
}

/** The source of statement `i`, without the comments that follow it. */
function statementText(source: string, body: Stmt[], i: number): string {
  const end = body[i + 1]?.loc.offset ?? source.length;
  const lines = source.slice(body[i].loc.offset, end).split("\n");
  while (lines.length > 1 && /^\s*(#.*)?$/.test(lines[lines.length - 1])) {
    lines.pop();
  }
  return lines.join("\n").trimEnd();
}
