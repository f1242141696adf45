// A command is a list of words, or a string split into words. When the
// string is written in the statement itself, ${} values stay whole words
// (see words.ts); a string held in a variable is split as it stands.

import type * as A from "../grammar/ast.js";
import type { Environment } from "./environment.js";
import { ScriptError } from "./errors.js";
import type { Interpreter } from "./interpreter.js";
import type { Value } from "./values.js";
import { show, typeOf } from "./values.js";
import { kindByName } from "../stdlib/kinds.js";
import type { Piece } from "./words.js";
import { WordError, splitWords } from "./words.js";

/** The argv a command expression stands for. */
export async function commandWords(
  interp: Interpreter, e: A.Expr, env: Environment,
): Promise<string[]> {
  let pieces: Piece[];
  if (e.type === "Identifier" && !env.has(e.name)) throw unquoted(e);
  if (e.type === "Template") {
    pieces = await templatePieces(interp, e, env);
  } else if (e.type === "String") {
    // Most commands are written out: no evaluation, no promise for them.
    pieces = [{ text: e.value, fromValue: false }];
  } else {
    const v = await interp.eval(e, env);
    if (Array.isArray(v)) return listWords(v, e);
    pieces = valuePieces(v, e);
  }

  const argv = split(pieces, e.loc);
  if (argv.length === 0) throw new ScriptError("the command is empty", e.loc);
  return argv;
}

async function templatePieces(
  interp: Interpreter, e: A.TemplateLit, env: Environment,
): Promise<Piece[]> {
  const pieces: Piece[] = [];
  for (const part of e.parts) {
    if (typeof part === "string") pieces.push({ text: part, fromValue: false });
    else pieces.push({ text: show(await interp.eval(part, env)), fromValue: true });
  }
  return pieces;
}

// A newcomer writes `spawn ps`, `clone pid mnt "ps"` or `clone pid,
// mount proc "ps"`: each parses, with a bare word as the command.
function unquoted(e: A.Identifier): ScriptError {
  const name = e.name;
  let note = `a command is a string: write "${name}", in quotes`;
  if (name === "proc") {
    note = "for a fresh /proc, write the option 'mount proc' after all " +
      "the kinds: clone pid, mnt mount proc \"ps aux\"";
  } else if (kindByName(name) || name === "all") {
    note = `'${name}' is a namespace kind, read here as the command: ` +
      "separate kinds with commas, as in clone pid, mnt \"ps\"";
  }
  return new ScriptError(`'${name}' is not defined`, e.loc, [note]);
}

function valuePieces(v: Value, e: A.Expr): Piece[] {
  if (typeof v === "string") return [{ text: v, fromValue: false }];
  const msg = `a command is a string or a list of words, found ${typeOf(v)}`;
  throw new ScriptError(msg, e.loc);
}

function listWords(v: Value[], e: A.Expr): string[] {
  const words = v.map((item) => show(item));
  if (words.length === 0) throw new ScriptError("the command is empty", e.loc);
  return words;
}

function split(pieces: Piece[], loc: A.Loc): string[] {
  try {
    return splitWords(pieces);
  } catch (error) {
    if (error instanceof WordError) throw new ScriptError(error.message, loc);
    throw error;
  }
}
