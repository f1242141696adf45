// The narrator of a tutorial: `say` prose, `step` headings, the prose and
// headings of a Markdown file, and what step mode adds (a pause before
// each step, each statement shown before it runs). It writes to standard
// output between the program's own lines, and keeps a blank line around
// each piece of prose without ever doubling one.

import { closeSync, openSync, readSync, writeSync } from "node:fs";
import { isatty } from "node:tty";
import type {
  CloneExpr as Clone, FnDecl, SpawnExpr as Spawn, Stmt,
} from "../grammar/ast.js";
import type { Colors } from "./colors.js";
import { stdoutColors } from "./colors.js";
import type { Interpreter } from "./interpreter.js";
import { reflow } from "./tutorial-prose.js";

export interface NarratorOptions {
  /** --step: pause before each step, show each statement before it runs. */
  step?: boolean;
  colors?: Colors;
  /** Columns to fill; the terminal's when narrower than 80. */
  width?: number;
  /** Asks for Enter; false when nobody can answer. */
  pause?: (prompt: string) => boolean;
}

// Names whose statements are narration: step mode does not echo them.
const NARRATION = new Set(["say", "step"]);

export class Narrator {
  private readonly c: Colors;
  private readonly width: number;
  private readonly pause: (prompt: string) => boolean;
  private pausing: boolean;
  private readonly echoing: boolean;
  private steps = 0;
  /** Functions the script declared, to see whether a call may print. */
  private readonly functions = new Map<string, FnDecl>();
  /** The last line written was blank (known only while tracking). */
  private atBlank = true;

  /**
   * `tracking` means the driver reports each top-level statement, so a
   * program that printed straight to the terminal (a spawned `ps`) is
   * noticed; without it, prose always gets its blank lines.
   */
  constructor(
    private readonly write: (line: string) => void,
    opts: NarratorOptions = {},
    private readonly tracking = false,
  ) {
    this.c = opts.colors ?? stdoutColors();
    this.width = opts.width ?? screenWidth();
    this.pause = opts.pause ?? waitForEnter;
    this.pausing = !!opts.step;
    this.echoing = !!opts.step;
  }

  /** A line of the program's own output (print, ns, compare). */
  output(text: string): void {
    this.write(text);
    // `print r.stdout` ends with the program's own newline: a blank line.
    this.atBlank = text === "" || text.endsWith("\n");
  }

  /** `say`: a paragraph of prose. */
  say(text: string): void {
    this.block(reflow(text, this.width).map((l) => l && this.c.cyan(l)));
  }

  /** `step`: pauses in step mode, then prints a numbered heading. */
  step(name: string): number {
    this.steps += 1;
    const title = `Step ${this.steps}: ${name}`;
    this.waitBefore(title);
    this.block([this.c.bold(title), this.c.dim("-".repeat(title.length))]);
    return this.steps;
  }

  /** A Markdown heading, kept as written; step mode pauses before it. */
  heading(line: string): void {
    this.waitBefore(line.replace(/^#+\s*/, ""));
    this.block([this.c.bold(line)]);
  }

  /** A paragraph or list of a Markdown file. */
  prose(text: string): void {
    this.say(text);
  }

  /** A block shown as it is (a Markdown code block that is not ns). */
  verbatim(lines: string[]): void {
    this.block(lines.map((l) => this.c.dim(`    ${l}`)));
  }

  /** The driver's report of the next top-level statement. */
  beforeStatement(stmt: Stmt, text: string): void {
    if (isNarration(stmt)) return;
    if (this.echoing) this.echo(text);
    if (stmt.type === "FnDecl") this.functions.set(stmt.name, stmt);
    // A program it starts writes to the terminal itself, past output().
    else if (this.mayPrint(stmt, new Set())) this.atBlank = false;
  }

  /**
   * Whether running `node` may start a program that writes to the
   * terminal: one not captured and not a holder, here or in a function
   * it names. Which branch runs is not known, so any one counts.
   */
  private mayPrint(node: object, seen: Set<string>): boolean {
    const n = node as { type?: string; name?: string };
    if (n.type === "Spawn" || n.type === "Clone") {
      if (printsItself(node as Spawn | Clone)) return true;
    }
    const fn = n.type === "Identifier" ? this.functions.get(n.name!) : null;
    if (fn && !seen.has(fn.name)) {
      seen.add(fn.name);
      if (this.mayPrint(fn.body, seen)) return true;
    }
    return Object.values(node).some((v) =>
      typeof v === "object" && v !== null && this.mayPrint(v, seen));
  }

  private echo(text: string): void {
    const [first, ...rest] = text.split("\n");
    this.write(`${this.c.bold("nsrepl")}> ${first}`);
    for (const line of rest) this.write(`... ${line}`);
    this.atBlank = false;
  }

  private block(lines: string[]): void {
    if (!this.atBlank || !this.tracking) this.write("");
    for (const line of lines) this.write(line);
    this.write("");
    this.atBlank = true;
  }

  private waitBefore(what: string): void {
    if (!this.pausing) return;
    const prompt = this.c.dim(`[Enter: ${what}] `);
    // No terminal, or Ctrl-D: the rest runs without pausing.
    if (!this.pause(prompt)) this.pausing = false;
  }
}

function printsItself(e: Spawn | Clone): boolean {
  if (e.type === "Clone" && e.command === null) return false;
  return !e.options.some((o) => o.type === "Capture");
}

function isNarration(stmt: Stmt): boolean {
  if (stmt.type !== "ExprStmt" || stmt.expr.type !== "Call") return false;
  const callee = stmt.expr.callee;
  return callee.type === "Identifier" && NARRATION.has(callee.name);
}

function screenWidth(): number {
  const columns = process.stdout.isTTY ? process.stdout.columns : 0;
  // One column spare: some terminals wrap a line that fills the last one.
  return Math.min(79, (columns || 80) - 1);
}

// ------------------------------------------------------------ the pause

/**
 * Shows `prompt` on the controlling terminal and waits for Enter. It
 * reads /dev/tty, not standard input, so a script piped into nsrepl still
 * pauses. False when there is no terminal (CI, test mode) or the person
 * typed Ctrl-D.
 */
export function waitForEnter(prompt: string): boolean {
  let fd: number;
  try {
    fd = openSync("/dev/tty", "r+");
  } catch {
    return false;
  }
  try {
    if (!isatty(fd)) return false;
    writeSync(fd, prompt);
    return readLine(fd);
  } finally {
    closeSync(fd);
  }
}

// A blocking read on our own open of the terminal: the event loop stops
// while the person reads, which is the point of a pause.
function readLine(fd: number): boolean {
  const buffer = Buffer.alloc(256);
  for (;;) {
    let n: number;
    try {
      n = readSync(fd, buffer);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EINTR") continue;
      return false;
    }
    if (n === 0) {
      // Ctrl-D echoes nothing: end the prompt's line ourselves.
      writeSync(fd, "\n");
      return false;
    }
    if (buffer.subarray(0, n).includes(10)) return true;
  }
}

// ------------------------------------------------- one per interpreter

const narrators = new WeakMap<Interpreter, Narrator>();

/** Gives `interp` the narrator the command line set up. */
export function setNarrator(interp: Interpreter, narrator: Narrator): void {
  narrators.set(interp, narrator);
}

/** The narrator of `interp`; the REPL gets a plain one on first use. */
export function narratorOf(interp: Interpreter): Narrator {
  let narrator = narrators.get(interp);
  if (!narrator) {
    narrator = new Narrator((line) => interp.host.out(line));
    narrators.set(interp, narrator);
  }
  return narrator;
}
