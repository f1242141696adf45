// The interactive session. Lines gather until they parse (an unclosed
// block, list or string asks for more), then run in the same driver as a
// script. An error ends the statement, never the session.

import { createInterface } from "node:readline";
import type { Interface } from "node:readline";
import { Driver } from "./driver.js";
import { stdoutColors } from "./colors.js";
import { ObjectValue, ProcessValue, inspect } from "./values.js";
import type { Outcome } from "./driver.js";
import { helpText } from "./repl-help.js";
import { reclaimTerminal, setNonBlocking } from "../stdlib/libc.js";

const c = stdoutColors;

class Repl {
  private driver = new Driver({ interactive: true, args: [] });
  private rl: Interface;
  private buffer = "";
  private entry = 0;
  /** Lines typed (or pasted) while a statement ran wait their turn. */
  private queue: string[] = [];
  private draining = false;

  constructor() {
    this.rl = createInterface({
      input: process.stdin, output: process.stdout, terminal: !!process.stdin.isTTY,
    });
  }

  start(): Promise<number> {
    process.stdout.write(`nsrepl — namespaces as a language. Type .help, or .exit to leave.\n`);
    this.rl.on("SIGINT", () => this.interrupt());
    this.rl.on("line", (line) => void this.enqueue(line));
    this.prompt();
    return new Promise((resolve) => {
      this.rl.on("close", () => {
        this.driver.close();
        process.stdout.write("\n");
        resolve(0);
      });
    });
  }

  private prompt(): void {
    const where = this.driver.interp.session.differing();
    const mark = where.length ? ` [${where.join(" ")}]` : "";
    const main = `${c.bold("nsrepl")}${c.yellow(mark)}> `;
    this.rl.setPrompt(this.buffer ? "... " : main);
    this.rl.prompt();
  }

  /** Ctrl-C at the prompt drops what was typed; the session stays. */
  private interrupt(): void {
    this.buffer = "";
    process.stdout.write("^C\n");
    this.prompt();
  }

  private async enqueue(line: string): Promise<void> {
    this.queue.push(line);
    if (this.draining) return;
    this.draining = true;
    while (this.queue.length) await this.line(this.queue.shift()!);
    this.draining = false;
  }

  private async line(line: string): Promise<void> {
    if (!this.buffer && line.trim().startsWith(".")) return this.command(line.trim());
    this.buffer += (this.buffer ? "\n" : "") + line;

    const file = `<repl:${this.entry + 1}>`;
    const pending = this.driver.tryParse(this.buffer, file);
    if (pending?.incomplete && line.trim() !== "") return this.prompt();

    const source = this.buffer;
    this.buffer = "";
    this.entry++;
    await this.evaluate(source, file);
    this.prompt();
  }

  // While a statement runs, the terminal belongs to the programs it
  // starts: cooked mode, and Ctrl-C reaches them rather than nsrepl.
  private async evaluate(source: string, file: string): Promise<void> {
    this.rl.pause();
    const raw = process.stdin.isTTY && process.stdin.isRaw;
    if (raw) process.stdin.setRawMode(false);
    const nonBlocking = setNonBlocking(0, false);
    const ignore = () => {};
    process.on("SIGINT", ignore);
    try {
      const outcome = await this.driver.run(source, file);
      const shown = outcome.status === 0 ? echo(outcome) : null;
      if (shown) process.stdout.write(shown + "\n");
    } finally {
      process.off("SIGINT", ignore);
      if (process.stdin.isTTY) reclaimTerminal(0);
      setNonBlocking(0, nonBlocking);
      if (raw) process.stdin.setRawMode(true);
      this.rl.resume();
    }
  }

  private command(line: string): void {
    const [name, ...rest] = line.split(/\s+/);
    if (name === ".exit" || name === ".quit") return this.rl.close();
    if (name === ".help") process.stdout.write(helpText(rest[0]) + "\n");
    else process.stdout.write(`unknown command '${name}': try .help\n`);
    this.prompt();
  }
}

// A statement that starts a program shows what the program did itself;
// the REPL adds only how it ended, and only when that is news.
function echo({ value, statement }: Outcome): string | null {
  if (statement === "Spawn" || statement === "Clone") {
    return value instanceof ProcessValue ? processNote(value) : null;
  }
  if (statement === "Unshare" || statement === "Setns") return null;
  if (value === null) return null;
  return value instanceof ObjectValue ? String(value) : inspect(value);
}

function processNote(p: ProcessValue): string | null {
  if (p.running) return c.dim(`[${p.command ? "background" : "holder"}, pid ${p.pid}]`);
  if (p.status === 0 || p.failure) return null;
  return c.dim(p.signal ? `[${p.signal}]` : `[status ${p.status}]`);
}

/** Runs the REPL until .exit or end of input; resolves to the exit status. */
export function startRepl(): Promise<number> {
  return new Repl().start();
}
