// The interactive session. Lines gather until they parse (an unclosed
// block, list or string asks for more), then run in the same driver as a
// script. An error ends the statement, never the session.
//
// Around node:readline: a history file (repl-history.ts), completion
// (repl-complete.ts), Ctrl-R and highlighting (repl-keys.ts), commands
// (repl-commands.ts); and the terminal, which a program run in the
// foreground gets for as long as it runs (terminal.ts).

import { createInterface } from "node:readline";
import type { Interface } from "node:readline";
import { Driver } from "./driver.js";
import type { Outcome } from "./driver.js";
import { stderrColors, stdoutColors } from "./colors.js";
import { isCallable } from "./values.js";
import type { Value } from "./values.js";
import { setNonBlocking } from "../stdlib/libc.js";
import { setTrace } from "../stdlib/trace.js";
import { killAll } from "../stdlib/reaper.js";
import { killSessionCgroup } from "../stdlib/session-cgroup.js";
import { Terminal } from "./terminal.js";
import { echo } from "./repl-echo.js";
import { History, KEEP, historyPlace } from "./repl-history.js";
import { complete } from "./repl-complete.js";
import type { Completion, Scope } from "./repl-complete.js";
import { installKeys } from "./repl-keys.js";
import type { LineEditor, ReverseSearch } from "./repl-search.js";
import { highlight } from "./repl-highlight.js";
import { endsOpen } from "./repl-lex.js";
import { completeCommand, runCommand } from "./repl-commands.js";
import type { CommandHost } from "./repl-commands.js";

const NOWHERE = { line: 0, column: 0, offset: 0 };
/** The signals keys at the terminal send. */
const TYPED: NodeJS.Signals[] = ["SIGINT", "SIGQUIT", "SIGTSTP"];

export interface ReplOptions {
  /** --trace was given: system calls are being traced already. */
  trace: boolean;
}

class Repl implements CommandHost {
  readonly terminal = new Terminal(0, (text) => this.note(text));
  readonly transcript: string[] = [];
  private driver = this.newDriver();
  private history = new History(historyPlace(), (t) => this.complain(t));
  private rl: Interface;
  private search: ReverseSearch;
  private buffer = "";
  private entry = 0;
  /** Lines typed (or pasted) while a statement ran wait their turn. */
  private queue: string[] = [];
  private draining = false;
  /** The prompt waits for input: output now must draw it again. */
  private idle = false;
  private traced: boolean;

  constructor(options: ReplOptions) {
    this.traced = options.trace;
    this.rl = createInterface({
      input: process.stdin, output: process.stdout,
      terminal: !!process.stdin.isTTY,
      history: this.history.entries, historySize: KEEP,
      removeHistoryDuplicates: true,
      completer: (line: string) => this.complete(line),
    });
    this.search = installKeys(this.rl, {
      highlight: stdoutColors().isColorSupported ? (line) => this.paint(line) : null,
      busy: () => this.draining,
    });
  }

  start(): Promise<number> {
    this.out("nsrepl — namespaces as a language. " +
      "Type .help, or Ctrl-D to leave.");
    this.rl.on("SIGINT", () => this.interrupt());
    this.rl.on("line", (line) => void this.enqueue(line));
    this.prompt();
    return new Promise((resolve) => {
      this.rl.on("close", () => {
        this.driver.close();
        // Reaped before leaving, not left to whoever inherits them: an
        // init that does not reap would keep them as zombies.
        killAll();
        this.history.close();
        process.stdout.write("\n");
        resolve(0);
      });
    });
  }

  // ------------------------------------------------------------ input

  private prompt(): void {
    const where = this.driver.interp.sessionIfMade?.differing() ?? [];
    const mark = where.length ? ` [${where.join(" ")}]` : "";
    const c = stdoutColors();
    const main = `${c.bold("nsrepl")}${c.yellow(mark)}> `;
    this.rl.setPrompt(this.buffer ? "... " : main);
    this.rl.prompt();
    this.idle = true;
  }

  /** Ctrl-C at the prompt drops what was typed; the session stays. */
  private interrupt(): void {
    this.search.end();
    this.buffer = "";
    const editor = this.rl as unknown as LineEditor;
    editor.line = "";
    editor.cursor = 0;
    process.stdout.write("^C\n");
    this.prompt();
  }

  private async enqueue(line: string): Promise<void> {
    this.idle = false;
    this.history.add(line);
    this.queue.push(line);
    if (this.draining) return;
    this.draining = true;
    while (this.queue.length) {
      // The prompt drawn after the line before is not waiting for this
      // one, which was typed already.
      this.idle = false;
      await this.line(this.queue.shift()!);
    }
    this.draining = false;
  }

  private async line(line: string): Promise<void> {
    if (!this.buffer && line.trim().startsWith(".")) {
      await runCommand(this, line);
      return this.prompt();
    }
    this.buffer += (this.buffer ? "\n" : "") + line;

    const file = `<repl:${this.entry + 1}>`;
    // A blank line gives up on an entry that lacks its end (`let x =`,
    // a quote): the error says what was missing. Inside a bracket it is
    // part of what is being typed.
    const pending = this.driver.tryParse(this.buffer, file);
    const more = line.trim() !== "" || endsOpen(this.buffer);
    if (pending?.incomplete && more) return this.prompt();

    const source = this.buffer;
    this.buffer = "";
    const outcome = await this.evaluate(source, file);
    if (outcome.status === 0) this.show(outcome);
    this.prompt();
  }

  private complete(line: string): Completion {
    try {
      if (!this.buffer && /^\s*\./.test(line)) {
        return completeCommand(line, this);
      }
      return complete(line, this.scope());
    } catch {
      return [[], ""];
    }
  }

  private scope(): Scope {
    const interp = this.driver.interp;
    const lookup = (name: string): Value | undefined => {
      if (name === "host") return interp.ns.host();
      return interp.globals.has(name)
        ? interp.globals.get(name, NOWHERE) : undefined;
    };
    return { names: () => interp.globals.names(), lookup };
  }

  // The lines of the entry so far are context: a string opened on one
  // of them is still open on this one.
  private paint(line: string): string {
    const before = this.buffer ? this.buffer + "\n" : "";
    return highlight(before + line, before.length, stdoutColors());
  }

  // ------------------------------------------------------- running

  private async evaluate(source: string, file: string): Promise<Outcome> {
    this.entry++;
    const outcome = await this.withTerminal(() =>
      this.driver.run(source, file));
    if (outcome.status === 0) this.transcript.push(source);
    return outcome;
  }

  async run(source: string, file: string): Promise<number> {
    return (await this.evaluate(source, file)).status;
  }

  // While a statement runs, the terminal belongs to the programs it
  // starts: cooked mode, blocking reads, and Ctrl-C, Ctrl-\ and Ctrl-Z
  // reach them (each gets the terminal's foreground, terminal.ts).
  // Between two programs they reach nsrepl, which ignores them.
  async withTerminal<T>(body: () => Promise<T>): Promise<T> {
    this.rl.pause();
    const raw = process.stdin.isTTY && process.stdin.isRaw;
    if (raw) process.stdin.setRawMode(false);
    const nonBlocking = setNonBlocking(0, false);
    const ignore = () => {};
    for (const signal of TYPED) process.on(signal, ignore);
    try {
      return await body();
    } finally {
      for (const signal of TYPED) process.off(signal, ignore);
      if (process.stdin.isTTY) this.terminal.takeBack();
      setNonBlocking(0, nonBlocking);
      if (raw) process.stdin.setRawMode(true);
      this.rl.resume();
    }
  }

  private show(outcome: Outcome): void {
    const shown = echo(outcome, (p) => this.terminal.stopped.includes(p.child));
    if (shown) this.out(shown);
  }

  // ------------------------------------------------- for the commands

  reset(): void {
    this.driver.close();
    // Also what the programs started: a background shell's children.
    killSessionCgroup();
    this.terminal.forget();
    this.driver = this.newDriver();
    this.transcript.length = 0;
  }

  leave(): void {
    this.rl.close();
  }

  out(text: string): void {
    process.stdout.write(text + "\n");
  }

  complain(text: string): void {
    process.stderr.write(text + "\n");
  }

  note(text: string): void {
    this.out(stdoutColors().dim(text));
  }

  trace(on: boolean): void {
    this.traced = on;
    const dim = stderrColors().dim;
    setTrace(on ? (line) => process.stderr.write(dim(line) + "\n") : null);
  }

  tracing(): boolean {
    return this.traced;
  }

  functions(): string[] {
    const globals = this.driver.interp.globals;
    return globals.names().filter((name) =>
      isCallable(globals.get(name, NOWHERE)));
  }

  private newDriver(): Driver {
    return new Driver({
      interactive: true, args: [], terminal: this.terminal,
      err: (text) => this.diagnose(text),
    });
  }

  // A background program that could not start is reported while the
  // prompt waits: the report goes above it, then the prompt comes back
  // with what was typed so far.
  private diagnose(text: string): void {
    if (!this.idle) return this.complain(text);
    process.stdout.write("\r\x1b[K");
    this.complain(text);
    this.rl.prompt(true);
  }
}

/** Runs the REPL until .exit or end of input; resolves to the exit status. */
export function startRepl(options: ReplOptions = { trace: false }) {
  return new Repl(options).start();
}
