// Tab completion that knows the language and the system. It looks at what
// comes before the cursor: the statement it is in (kinds after `clone`,
// options after the kinds, targets after `setns`), a member access (`p.`),
// or a string (a program, a path, a /run/netns name after `setns`).

import type { Lexeme } from "./repl-lex.js";
import { lex, significant } from "./repl-lex.js";
import type { Value } from "./values.js";
import { ObjectValue, ProcessValue } from "./values.js";
import { joinable, showable } from "./targets.js";
import {
  KEYWORDS, KIND_WORDS, OPTION_VALUES, OPTIONS, STATEMENTS,
} from "./repl-words.js";
import {
  commandName, netnsNames, paths, pids, programs,
} from "./repl-sources.js";

/** What completion may ask of the session. */
export interface Scope {
  /** Variables and functions in scope. */
  names(): string[];
  /** The value of a name in scope, or undefined. */
  lookup(name: string): Value | undefined;
}

/** Candidates, and the text before the cursor that they replace. */
export type Completion = [string[], string];

/** Completes `line`, which ends at the cursor. */
export function complete(line: string, scope: Scope): Completion {
  const all = lex(line);
  const last = all.at(-1);
  if (last?.kind === "comment") return [[], ""];
  if (last?.kind === "string" && last.open) return inString(line, all, last);
  const typing = last && (last.kind === "word" || last.kind === "number");
  const partial = typing ? line.slice(last.start) : "";
  const before = significant(typing ? all.slice(0, -1) : all);
  const words = before.map((l) => line.slice(l.start, l.end));
  return [inCode(words, partial, scope), partial];
}

const spaced = (words: string[]) => words.map((w) => w + " ");
const starting = (prefix: string, words: string[]) =>
  [...new Set(words.filter((w) => w.startsWith(prefix)))]
    .sort((a, b) => a.localeCompare(b, "en", { numeric: true }));

function inCode(words: string[], partial: string, scope: Scope): string[] {
  if (words.at(-1) === ".") return starting(partial, members(words, scope));
  const clause = clauseOf(words);
  const offered = clause ? inClause(clause, scope, partial) : null;
  if (offered) return starting(partial, offered);
  if (/^\d/.test(partial)) return [];
  // ns and compare are builtins too: offered once, as the statement.
  const reserved = [...STATEMENTS, ...KEYWORDS];
  const names = scope.names().filter((n) => !reserved.includes(n));
  return starting(partial, [...spaced(reserved), ...names]);
}

/** The names after `a.b.`: resolved without calling anything. */
function members(words: string[], scope: Scope): string[] {
  let i = words.length - 1;
  while (i >= 2 && words[i - 2] === ".") i -= 2;
  const path = words.slice(i - 1).filter((w) => w !== ".");
  if (!/^[A-Za-z_]\w*$/.test(path[0] ?? "")) return [];
  let value = scope.lookup(path[0]);
  for (const name of path.slice(1)) {
    value = value instanceof ObjectValue ? value.member(name) : undefined;
  }
  if (value instanceof ObjectValue) return value.memberNames();
  if (Array.isArray(value) || typeof value === "string") return ["length"];
  return [];
}

/** The statement whose kinds or options are being typed, if any. */
interface Clause {
  statement: string;
  /** The words after the statement word. */
  after: string[];
}

const ENDS = new Set([";", "{", "}", "(", ")", "=", "&", "["]);

function clauseOf(words: string[]): Clause | null {
  for (let i = words.length - 1; i >= 0; i--) {
    const w = words[i];
    if (ENDS.has(w)) return null;
    if (STATEMENTS.includes(w) && words[i - 1] !== ".") {
      return { statement: w, after: words.slice(i + 1) };
    }
  }
  return null;
}

function inClause(c: Clause, scope: Scope, partial: string): string[] | null {
  const prev = c.after.at(-1);
  switch (c.statement) {
    case "clone": case "unshare": return kindsOrOptions(c);
    case "spawn":
      return !prev || prev === "capture" ? spaced(OPTIONS.spawn) : null;
    case "setns": return setnsRest(c, scope, partial);
    default:
      if (c.after.length && prev !== ",") return [];
      return targets(scope, partial, showable);
  }
}

// `mount` is a kind among the kinds (`clone pid, mount`) and an option
// after them (`mount proc`).
function kindsOrOptions(c: Clause): string[] {
  const [prev, before] = [c.after.at(-1), c.after.at(-2)];
  if (prev === undefined || prev === ",") return spaced(KIND_WORDS);
  const kindMount = prev === "mount" && (before === "," || !before);
  if (prev in OPTION_VALUES && !kindMount) {
    return spaced(OPTION_VALUES[prev]);
  }
  return spaced(OPTIONS[c.statement]);
}

// After the target: kinds or options; `mount` right after it may be the
// kind or the start of `mount proc`.
function setnsRest(c: Clause, scope: Scope, partial: string): string[] {
  if (c.after.length === 0) return targets(scope, partial, joinable);
  if (c.after.length === 1) return spaced([...KIND_WORDS, ...OPTIONS.setns]);
  if (c.after.length === 2 && c.after[1] === "mount") {
    return spaced(["proc", ...OPTIONS.setns]);
  }
  return kindsOrOptions({ ...c, after: c.after.slice(1) });
}

// A pid, host, or a variable whose value the statement takes: a list or
// a function there would be an error.
function targets(scope: Scope, partial: string,
  takes: (v: Value) => boolean): string[] {
  if (/^\d+$/.test(partial)) return described(pids(partial), partial, scope);
  const names = scope.names().filter((n) => takes(scope.lookup(n) ?? null));
  names.push("host");
  if (partial) return names;
  return described([...pids(""), ...names], partial, scope);
}

// readline types in the candidates' common prefix when it is longer than
// what is typed, and only otherwise lists them. So a pid may say what it
// is, "4242 (sleep)", exactly when the list is shown: the description is
// never typed in. A process held in a variable goes by that name.
function described(found: string[], partial: string, scope: Scope) {
  const offered = starting(partial, found);
  if (offered.length < 2 || commonPrefix(offered) !== partial) return offered;
  const held = heldPids(scope);
  return offered.map((c) => {
    if (!/^\d+$/.test(c)) return c;
    const what = held.get(Number(c)) ?? commandName(c);
    return what ? `${c} (${what})` : c;
  });
}

function heldPids(scope: Scope): Map<number, string> {
  const held = new Map<number, string>();
  for (const name of scope.names()) {
    const v = scope.lookup(name);
    if (v instanceof ProcessValue && v.running) held.set(v.pid, name);
  }
  return held;
}

function commonPrefix(words: string[]): string {
  let prefix = words[0] ?? "";
  for (const w of words) {
    while (!w.startsWith(prefix)) prefix = prefix.slice(0, -1);
  }
  return prefix;
}

// ------------------------------------------------------------- strings

function inString(line: string, all: Lexeme[], last: Lexeme): Completion {
  const from = Math.max(last.start, last.quoteAt! + 1);
  const typed = line.slice(from);
  const before = significant(all.filter((l) => l.start < last.quoteAt!));
  const words = before.map((l) => line.slice(l.start, l.end));
  const prev = words.at(-1);
  if (prev === "setns" && !typed.includes("/")) {
    return [netnsNames(typed), typed];
  }
  if (prev === "cwd" || prev === "root") return paths(typed, true);
  if (prev === "hostname") return [[], typed];
  const clause = clauseOf(words);
  const command = clause && ["spawn", "clone"].includes(clause.statement);
  return command ? inCommand(typed) : paths(typed);
}

// The first word of a command names a program; later words are often
// paths, as in a shell.
function inCommand(typed: string): Completion {
  const word = typed.slice(typed.lastIndexOf(" ") + 1);
  if (word === typed && !word.includes("/")) return [programs(word), word];
  return paths(word);
}
