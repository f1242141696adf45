// The REPL's own commands, which start with a dot: help, tracing, running
// and saving scripts, starting over, continuing a stopped program.

import { readFileSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import type { Child } from "../stdlib/types.js";
import { HELP_TOPICS, builtinsHelp, helpText } from "./repl-help.js";
import type { Completion } from "./repl-complete.js";
import { paths } from "./repl-sources.js";
import { exitNote } from "./terminal.js";
import type { Terminal } from "./terminal.js";

/** What a command may do to the REPL. */
export interface CommandHost {
  readonly terminal: Terminal;
  /** The entries that ran without error, for .save. */
  readonly transcript: string[];
  /** Runs `source` in the session, as an entry typed at the prompt. */
  run(source: string, file: string): Promise<number>;
  /** Runs `body` with the terminal handed over to programs. */
  withTerminal<T>(body: () => Promise<T>): Promise<T>;
  /** Ends the session's processes and namespaces; starts a fresh one. */
  reset(): void;
  leave(): void;
  out(text: string): void;
  /** A command that cannot do what it was asked says why, on stderr. */
  complain(text: string): void;
  /** Notes like `[status 1]`, dim where colors are on. */
  note(text: string): void;
  trace(on: boolean): void;
  tracing(): boolean;
  /** The functions in the session's global scope. */
  functions(): string[];
}

interface Command {
  usage: string;
  about: string;
  run(host: CommandHost, arg: string): Promise<void> | void;
}

const COMMANDS: Record<string, Command> = {
  ".help": { usage: ".help [TOPIC]", about: "help, or help on TOPIC",
    run: (h, arg) => h.out(helpText(arg || undefined, live(h))) },
  ".trace": { usage: ".trace [on|off]",
    about: "show each system call as it is made", run: trace },
  ".load": { usage: ".load FILE", about: "run the script FILE in this session",
    run: load },
  ".save": { usage: ".save FILE",
    about: "write what ran without error to FILE, as a script", run: save },
  ".clear": { usage: ".clear",
    about: "end every process, back to host, forget all variables",
    run: clear },
  ".fg": { usage: ".fg [PID]",
    about: "continue a program stopped by Ctrl-Z, with the terminal",
    run: foreground },
  ".exit": { usage: ".exit", about: "leave, as Ctrl-D does",
    run: (h) => h.leave() },
};

const ALIASES: Record<string, string> = { ".quit": ".exit", ".q": ".exit" };

/** Runs one command line (`.save out.ns`). */
export async function runCommand(host: CommandHost, line: string) {
  const [typed, ...rest] = line.trim().split(/\s+/);
  const command = COMMANDS[ALIASES[typed] ?? typed];
  if (!command) {
    return host.complain(`unknown command '${typed}': try .help commands`);
  }
  await command.run(host, rest.join(" "));
}

function live(host: CommandHost) {
  return { commands: commandsHelp(), builtins: builtinsHelp(host.functions()) };
}

/** `.help commands`. */
export function commandsHelp(): string {
  const rows = Object.values(COMMANDS).map((c) =>
    ` ${c.usage.padEnd(18)}${c.about}`);
  return `Commands:\n${rows.join("\n")}`;
}

function trace(host: CommandHost, arg: string): void {
  if (arg !== "" && arg !== "on" && arg !== "off") {
    return host.complain(`.trace takes on or off, not '${arg}'`);
  }
  if (arg) host.trace(arg === "on");
  host.out(`tracing is ${host.tracing() ? "on" : "off"}`);
}

async function load(host: CommandHost, arg: string): Promise<void> {
  if (!arg) return host.complain(".load needs a file name");
  const file = expandHome(arg);
  let source: string;
  try {
    source = readFileSync(file, "utf8");
  } catch (error) {
    return host.complain(`cannot read '${arg}': ${why(error)}`);
  }
  await host.run(source, arg);
}

function save(host: CommandHost, arg: string): void {
  if (!arg) return host.complain(".save needs a file name");
  const count = host.transcript.length;
  const head = `# nsrepl session, saved ${new Date().toISOString()}\n`;
  try {
    writeFileSync(expandHome(arg), head + host.transcript.join("\n") + "\n");
  } catch (error) {
    return host.complain(`cannot write '${arg}': ${why(error)}`);
  }
  host.out(`saved ${count} ${count === 1 ? "entry" : "entries"} to '${arg}'`);
}

function clear(host: CommandHost): void {
  host.reset();
  host.out("cleared: processes ended, namespaces as on host, no variables");
}

async function foreground(host: CommandHost, arg: string): Promise<void> {
  const pid = arg ? Number(arg) : undefined;
  const child = host.terminal.takeStopped(pid);
  if (!child) {
    return host.complain(arg ? `no stopped program with pid ${arg}`
      : "no stopped program");
  }
  try {
    const resumed = () => host.terminal.resume(child);
    if (await host.withTerminal(resumed)) await ended(host, child);
  } catch (error) {
    // It ended between Ctrl-Z and now: its group is gone (ESRCH, EPERM).
    if (!isGone(error)) throw error;
    await ended(host, child);
  }
}

function isGone(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return code === "ESRCH" || code === "EPERM";
}

async function ended(host: CommandHost, child: Child): Promise<void> {
  const note = exitNote(await child.exited);
  if (note) host.note(note);
}

function expandHome(path: string): string {
  return path.startsWith("~/") ? homedir() + path.slice(1) : path;
}

function why(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return "no such file";
  if (code === "EACCES") return "permission denied";
  if (code === "EISDIR") return "it is a directory";
  return code ?? String(error);
}

/** Completes a command line: names, then each command's argument. */
export function completeCommand(line: string, host: CommandHost): Completion {
  const text = line.trimStart();
  const space = text.indexOf(" ");
  if (space < 0) {
    const names = Object.keys(COMMANDS).filter((n) => n.startsWith(text));
    return [names.map((n) => n + " "), text];
  }
  const name = text.slice(0, space);
  const arg = text.slice(space + 1).trimStart();
  const from = (words: string[]): Completion =>
    [words.filter((w) => w.startsWith(arg)), arg];
  switch (ALIASES[name] ?? name) {
    case ".help": return from(HELP_TOPICS);
    case ".trace": return from(["on", "off"]);
    case ".load": case ".save": return paths(arg);
    case ".fg": return from(host.terminal.stopped.map((c) => String(c.pid)));
    default: return [[], arg];
  }
}
