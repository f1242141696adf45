// Notes for the mistakes of someone who knows the shell tools: a program
// typed as if at a shell prompt, util-linux flags, kinds without commas.
// They look at the source line an error points into, so they need no
// help from the parser; each says what to write instead.

import { accessSync, constants } from "node:fs";
import { join } from "node:path";
import type { Loc } from "../grammar/ast.js";
import { kindByName } from "../stdlib/kinds.js";
import { OPTIONS, STATEMENTS } from "./repl-words.js";

/** What util-linux command lines are in nsrepl's words. */
const TOOLS: Record<string, string> = {
  unshare: "nsrepl takes words, not flags: `unshare --pid --fork " +
    "--mount-proc bash` is `clone pid, mnt mount proc \"bash\"`, and " +
    "`unshare --net` is `unshare net` (.help clone, .help unshare)",
  clone: "nsrepl takes words, not flags: kinds, then options, then the " +
    "command, as in `clone pid, mnt mount proc \"bash\"` (.help clone)",
  setns: "nsrepl takes words, not flags: `setns PID` joins every " +
    "namespace of PID, `setns PID net, uts` some (.help setns)",
  nsenter: "nsenter is setns here: `setns PID` joins every namespace of " +
    "PID, like nsenter -t PID -a; `setns host` leaves (.help setns)",
};

/** Kinds by the names people guess for them. */
const MISNAMED: Record<string, string> = {
  network: "net", process: "pid", processes: "pid", pids: "pid",
  hostname: "uts", users: "user", uid: "user", cgroups: "cgroup",
  clock: "time", mounts: "mnt", filesystem: "mnt",
};

/** Notes for a syntax error at `loc` in `source`. */
export function syntaxNotes(source: string, message: string, loc: Loc) {
  const line = lineAt(source, loc);
  const first = firstWord(line);
  const flag = /\s--?[A-Za-z]/.test(line);
  if (first && flag && TOOLS[first]) return [TOOLS[first]];
  if ((first === "spawn" || first === "clone") &&
    /after '".*', found '["[]/.test(message)) return [oneCommand()];
  if (first && OPTIONS[first] && first !== "spawn") {
    return statementNotes(first, line, message);
  }
  return programNotes(line, first);
}

// In clone, unshare or setns, the word the parser stopped at (or, when
// it stopped at the command string, the word before: read as the
// command) is a kind by another name, a kind without its comma, or no
// kind or option at all.
function statementNotes(statement: string, line: string, message: string) {
  const found = /found '(\w+)'$/.exec(message)?.[1];
  const word = found ?? /after '(\w+)', found '"/.exec(message)?.[1];
  // After the command string nothing of the statement may follow.
  if (!word || word === statement || /after '"/.test(message)) return [];
  if (MISNAMED[word]) return [`the kind is called '${MISNAMED[word]}'`];
  if (word === "proc") return [mountProc()];
  if (kindByName(word) || word === "all") {
    return KINDS_WITHOUT_COMMA.test(line) ? [commas(statement)] : [];
  }
  if (OPTIONS[statement].includes(word)) return [];
  return [`'${word}' is neither a kind nor an option of ${statement}: ` +
    `the options are ${OPTIONS[statement].join(", ")} (.help options)`];
}

const KIND_WORD = "user|mnt|mount|pid|net|uts|ipc|cgroup|time|all";
const KINDS_WITHOUT_COMMA =
  new RegExp(`\\b(${KIND_WORD})\\s+(${KIND_WORD})\\b`);

/** Notes for `'NAME' is not defined` at `loc` in `source`. */
export function undefinedNotes(source: string, name: string, loc: Loc) {
  const line = lineAt(source, loc);
  const atStart = line.length - line.trimStart().length === loc.column - 1;
  if (!atStart) return [];
  const alone = line.trim().replace(/\(\)$/, "") === name;
  if (alone && Object.hasOwn(DOT_COMMANDS, name)) return [DOT_COMMANDS[name]];
  return firstWord(line) === name ? programNotes(line, name) : [];
}

/** What people type to leave or for help, and the REPL's command. */
const DOT_COMMANDS: Record<string, string> = {
  exit: "in the REPL, .exit or Ctrl-D leaves",
  quit: "in the REPL, .exit or Ctrl-D leaves",
  help: "in the REPL, .help lists the statements and the help topics",
};

const COMMA_EXAMPLES: Record<string, string> = {
  clone: "clone pid, mnt \"ps\"", unshare: "unshare pid, mnt",
  setns: "setns PID net, uts",
};

const commas = (statement: string) => "separate kinds with commas, and " +
  `put options after all of them: ${COMMA_EXAMPLES[statement]}`;

const oneCommand = () => "the command is one string, or a list of " +
  "words: spawn \"ls -l\", spawn [\"ls\", \"-l\"]";

const mountProc = () => "for a fresh /proc, write the option 'mount " +
  "proc' after all the kinds: clone pid, mnt mount proc \"ps aux\"";

// `ps aux` at the prompt: the word is a program on PATH, so say how to
// run it, with the line as the command string.
function programNotes(line: string, first: string | null): string[] {
  if (!first || STATEMENTS.includes(first) || !onPath(first)) return [];
  if (TOOLS[first]) return [TOOLS[first]];
  const command = line.trim().replace(/\\/g, "\\\\").replace(/"/g, "\\\"");
  return [`to run the program ${first}, give it to spawn as a string: ` +
    `spawn "${command}"`];
}

function lineAt(source: string, loc: Loc): string {
  return source.split("\n")[loc.line - 1] ?? "";
}

function firstWord(line: string): string | null {
  return /^\s*([A-Za-z_][\w.+-]*)(\s|$)/.exec(line)?.[1] ?? null;
}

function onPath(name: string): boolean {
  const dirs = (process.env.PATH ?? "/usr/bin:/bin").split(":");
  return dirs.some((dir) => {
    try {
      accessSync(join(dir || ".", name), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}
