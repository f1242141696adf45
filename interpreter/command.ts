// A command is a list of words, or a string split into words. When the
// string is written in the statement itself, ${} values stay whole words
// (see words.ts); a string held in a variable is split as it stands.

import type * as A from "../grammar/ast.js";
import type { Environment } from "./environment.js";
import { ScriptError } from "./errors.js";
import type { Interpreter } from "./interpreter.js";
import type { Value } from "./values.js";
import { show, typeOf } from "./values.js";
import type { Piece } from "./words.js";
import { WordError, splitWords } from "./words.js";

/** The argv a command expression stands for. */
export async function commandWords(
  interp: Interpreter, e: A.Expr, env: Environment,
): Promise<string[]> {
  let pieces: Piece[];
  if (e.type === "Template") {
    pieces = await templatePieces(interp, e, env);
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
