// Builtins that inspect namespaces system-wide: filled in by the
// inspection work (listing, trees, JSON forms).

import type { Interpreter } from "../interpreter/interpreter.js";
import type { Fn } from "./builtins.js";

/** Inspection builtins. */
export function inspectBuiltins(_interp: Interpreter): Record<string, Fn> {
  return {};
}
