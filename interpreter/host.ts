// What the interpreter needs from whoever runs it (the file runner, -e,
// the REPL): where output goes, and how to report a warning.

import type { Loc } from "../grammar/ast.js";

export interface Host {
  /** Name of the source being run, for diagnostics. */
  file: string;
  interactive: boolean;
  /** Program output (print, ns, compare). */
  out(text: string): void;
  /** A warning or note at a place in the source, printed on stderr. */
  warn(message: string, loc: Loc | null, notes?: string[]): void;
}
