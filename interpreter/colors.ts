// Color is decided once, at the edge: NO_COLOR turns it off, FORCE_COLOR
// on, and otherwise it follows whether the stream is a terminal.

import pc from "picocolors";

export type Colors = ReturnType<typeof pc.createColors>;

/** Whether output to a stream that is (or is not) a terminal gets color. */
export function wantsColor(isTTY: boolean, env = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "0") return true;
  return isTTY;
}

/** Colors for one stream; pass false in tests for plain text. */
export function colorsFor(enabled: boolean): Colors {
  return pc.createColors(enabled);
}

// Decided on first use, not at load: the bundle is loaded once, when the
// start-up snapshot is built, long before the streams of a run exist.
let forStdout: Colors | undefined;
let forStderr: Colors | undefined;

/** Colors for standard output. */
export function stdoutColors(): Colors {
  return forStdout ??= colorsFor(wantsColor(!!process.stdout.isTTY));
}

/** Colors for standard error. */
export function stderrColors(): Colors {
  return forStderr ??= colorsFor(wantsColor(!!process.stderr.isTTY));
}
