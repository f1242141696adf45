// What the interpreter needs from whoever runs it (the file runner, -e,
// the REPL): where output goes, and how to report a warning.

import type { Loc } from "../grammar/ast.js";
import type { Child } from "../stdlib/types.js";
import type { Origin } from "./reporter.js";

/** The REPL's terminal, which a foreground program is handed. */
export interface ForegroundTerminal {
  /** The terminal's fd, or null when nsrepl is not in front on it. */
  ttyForPrograms(): number | null;
  /** Waits for a program given the terminal: true at exit, false at stop. */
  wait(child: Child): Promise<boolean>;
}

export interface Host {
  /** Name of the source being run, for diagnostics. */
  file: string;
  interactive: boolean;
  /** Program output (print, ns, compare). */
  out(text: string): void;
  /**
   * A warning at a place in the source, printed on stderr. `origin` is
   * the source `loc` is in; by default, the one running now.
   */
  warn(message: string, loc: Loc | null, notes?: string[],
    origin?: Origin): void;
  /** Only in the REPL: programs run in the foreground get the terminal. */
  terminal?: ForegroundTerminal;
}
