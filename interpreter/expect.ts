// `expect`: a check that stops the run when false. When it fails, the
// message shows the expression as written and the values on both sides.

import type * as A from "../grammar/ast.js";
import type { Environment } from "./environment.js";
import { ScriptError } from "./errors.js";
import type { Interpreter } from "./interpreter.js";
import { binary } from "./operators.js";
import type { Value } from "./values.js";
import { inspect, show, truthy } from "./values.js";

/** Evaluates the check; returns the error to throw, or null when it holds. */
export async function expectFailure(
  interp: Interpreter, s: A.ExpectStmt, env: Environment,
): Promise<ScriptError | null> {
  const { ok, notes } = await check(interp, s.test, env);
  if (ok) return null;

  const message = s.message ? show(await interp.eval(s.message, env)) : null;
  const head = message ? `expect failed: ${message}` : `expect failed: ${s.text}`;
  if (message) notes.unshift(`expression: ${s.text}`);
  return new ScriptError(head, s.loc, notes, "expect");
}

async function check(
  interp: Interpreter, test: A.Expr, env: Environment,
): Promise<{ ok: boolean; notes: string[] }> {
  if (test.type !== "Binary") {
    const v = await interp.eval(test, env);
    return { ok: truthy(v), notes: [`value: ${inspect(v)}`] };
  }
  const left = await interp.eval(test.left, env);
  const right = await interp.eval(test.right, env);
  const ok = truthy(binary(test.op, left, right, test.loc));
  return { ok, notes: [`left:  ${brief(left)}`, `right: ${brief(right)}`] };
}

/** A value shown in a failure note, long output cut to a few lines. */
function brief(v: Value): string {
  const text = inspect(v);
  const lines = text.split("\\n");
  if (text.length <= 400) return text;
  return `${text.slice(0, 400)}… (${text.length} characters, ${lines.length} lines)`;
}
