// Builtins for tutorials: narration (say, step) and the checks a lesson
// makes beyond `expect` itself: which namespaces two targets share, and
// which error a statement must raise.

import type { Loc } from "../grammar/ast.js";
import { ScriptError } from "../interpreter/errors.js";
import type { Interpreter } from "../interpreter/interpreter.js";
import { narratorOf } from "../interpreter/tutorial.js";
import type { Value } from "../interpreter/values.js";
import { inspect, isCallable, show, typeOf } from "../interpreter/values.js";
import type { Fn } from "./builtins.js";
import { KIND_NAMES } from "./kinds.js";
import type { KindName } from "./kinds.js";
import { selfArgv } from "./self.js";

/** say, step, raises, shares, isolated, nsrepl_command. */
export function tutorialBuiltins(interp: Interpreter): Record<string, Fn> {
  return {
    say: (args) => {
      narratorOf(interp).say(args.map(show).join(" "));
      return null;
    },
    step: (args) => {
      narratorOf(interp).step(args.map(show).join(" "));
      return null;
    },
    raises: ([fn, ...args], loc) => raises(fn, args, loc),
    shares: ([a, b, kind], loc) => sameNamespace(interp, a, b, kind, loc),
    isolated: async ([a, b, kind], loc) =>
      !(await sameNamespace(interp, a, b, kind, loc)),
    nsrepl_command: () => selfArgv(),
  };
}

/**
 * Calls `fn`; the errno name (or the message) of the error it raised, or
 * null when it raised none. A failed `expect` inside is not an answer but
 * a failure of the tutorial, so it goes on up.
 */
async function raises(fn: Value, args: Value[], loc: Loc): Promise<Value> {
  if (fn === undefined || !isCallable(fn)) {
    const found = fn === undefined ? "nothing" : typeOf(fn);
    const msg = `raises needs a function (declare one with fn), found ${found}`;
    throw new ScriptError(msg, loc);
  }
  try {
    await fn.call(args, loc);
    return null;
  } catch (error) {
    if (!(error instanceof ScriptError) || error.kind === "expect") throw error;
    return error.code ?? error.message;
  }
}

/** Whether targets `a` and `b` are in the same namespace of `kind`. */
async function sameNamespace(
  interp: Interpreter, a: Value, b: Value, kind: Value, loc: Loc,
): Promise<boolean> {
  const k = kindName(kind, loc);
  const cmp = interp.ns.compare([a, b], loc);
  for (const set of [cmp.a, cmp.b]) {
    if (set.kinds[k] === null) {
      const msg = `cannot see the ${k} namespace of ${set.label}`;
      throw new ScriptError(msg, loc, ["it has ended, or /proc hides it"]);
    }
  }
  return cmp.isShared(k);
}

function kindName(v: Value, loc: Loc): KindName {
  const name = v === "mount" ? "mnt" : v;
  if (typeof name === "string" && (KIND_NAMES as string[]).includes(name)) {
    return name as KindName;
  }
  const msg = `expected a namespace kind (${KIND_NAMES.join(", ")}), ` +
    `found ${v === undefined ? "nothing" : inspect(v)}`;
  throw new ScriptError(msg, loc);
}
