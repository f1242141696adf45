// Errors a script can meet, and the non-local exits of the evaluator.
// Every error that reaches a user carries a location, so one reporter can
// print `file:line:col: error: message` for all of them.

import type { Loc } from "../grammar/ast.js";

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
}

/** A script error that should point at `loc` unless it already points. */
export function located(error: unknown, loc: Loc): unknown {
  if (error instanceof ScriptError && error.loc === null) error.loc = loc;
  return error;
}

// Control flow travels as exceptions through the async evaluator; these
// never reach the reporter.
export class ReturnSignal {
  constructor(public value: unknown) {}
}
export class BreakSignal {}
export class ContinueSignal {}
