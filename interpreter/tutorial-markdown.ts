// Runs a Markdown tutorial: its ```ns blocks in order, in one session (a
// name defined in one block is there in the next), with the prose around
// them printed as the run reaches it.

import type { Driver } from "./driver.js";
import { EXIT } from "./driver.js";
import type { Piece } from "./markdown.js";
import { parseMarkdown } from "./markdown.js";
import type { Narrator } from "./tutorial.js";

type Code = Extract<Piece, { type: "code" }>;

/** Runs the tutorial in `text`; resolves to the exit status. */
export async function runMarkdown(
  text: string, file: string, driver: Driver, narrator: Narrator,
): Promise<number> {
  const pieces = parseMarkdown(text);
  // A syntax error anywhere stops the file before anything runs, as it
  // does in a .ns script.
  for (const piece of pieces) {
    if (piece.type !== "code") continue;
    const source = positioned(piece);
    if (driver.tryParse(source, file)) {
      return (await driver.run(source, file)).status;
    }
  }
  for (const piece of pieces) {
    const status = await present(piece, file, driver, narrator);
    if (status !== EXIT.ok) return status;
  }
  return EXIT.ok;
}

async function present(
  piece: Piece, file: string, driver: Driver, narrator: Narrator,
): Promise<number> {
  switch (piece.type) {
    case "heading": narrator.heading(piece.text); break;
    case "prose": narrator.prose(piece.text); break;
    case "verbatim": narrator.verbatim(piece.lines); break;
    case "code": return (await driver.run(positioned(piece), file)).status;
  }
  return EXIT.ok;
}

// Blank lines before the code put each statement on its line in the .md
// file, so diagnostics and their excerpts point there.
function positioned(piece: Code): string {
  return "\n".repeat(piece.line - 1) + piece.code;
}
