// Errors a script can meet, and the non-local exits of the evaluator.
// Every error that reaches a user carries a location, so one reporter can
// print `file:line:col: error: message` for all of them.

import type { Loc } from "../grammar/ast.js";
import type { Origin } from "./reporter.js";

/** A mistake in the script found while running it (exit status 70). */
export class ScriptError extends Error {
  constructor(
    message: string,
    public loc: Loc | null,
    /** Further lines: the kernel rule, what to do. */
    public notes: string[] = [],
    /** `runtime`, or `expect` for a failed check (exit status 1). */
    public kind: "runtime" | "expect" = "runtime",
    /** The errno name when a syscall failed, for `catch e { e.code }`. */
    public code: string | null = null,
  ) {
    super(message);
  }

  /**
   * The source `loc` is in, when it is not the one being run: a
   * function defined in an earlier REPL entry (Interpreter.within).
   */
  origin: Origin | null = null;
}

/** A script error that should point at `loc` unless it already points. */
export function located(error: unknown, loc: Loc): unknown {
  if (error instanceof ScriptError && error.loc === null) error.loc = loc;
  return error;
}

// Control flow travels as exceptions through the async evaluator. Each
// knows its statement, so one that escapes what it belongs to (`return`
// outside a function, `break` outside a loop) becomes an error there.
export class ReturnSignal {
  constructor(public value: unknown, public loc: Loc) {}
}
export class BreakSignal {
  constructor(public loc: Loc) {}
}
export class ContinueSignal {
  constructor(public loc: Loc) {}
}

/** A control-flow signal that left its scope, as the error it is. */
export function stray(error: unknown): unknown {
  if (error instanceof ReturnSignal) {
    return new ScriptError("'return' outside a function", error.loc);
  }
  if (error instanceof BreakSignal || error instanceof ContinueSignal) {
    const word = error instanceof BreakSignal ? "break" : "continue";
    return new ScriptError(`'${word}' outside a loop`, error.loc);
  }
  return error;
}
