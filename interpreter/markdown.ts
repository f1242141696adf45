// Just enough Markdown for a tutorial: ATX headings, paragraphs and
// lists, fenced code blocks. A block fenced as ```ns (or ```nsrepl) is
// code to run; every other piece is prose to print around it. Each piece
// keeps its line number, so an error in a block points into the .md file.

export type Piece =
  | { type: "heading"; text: string; line: number }
  | { type: "prose"; text: string; line: number }
  | { type: "verbatim"; lines: string[]; line: number }
  /** `line` is the line of the block's first code line (1-based). */
  | { type: "code"; code: string; line: number };

const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([^\s`]*)/;
const HEADING = /^ {0,3}#{1,6}(\s|$)/;
const RUNNABLE = new Set(["ns", "nsrepl"]);

/** Splits a Markdown text into the pieces a tutorial shows or runs. */
export function parseMarkdown(text: string): Piece[] {
  const lines = text.replace(/\r\n/g, "\n").split("\n");
  const pieces: Piece[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (FENCE.test(line)) i = fenced(lines, i, pieces);
    else if (HEADING.test(line)) {
      pieces.push({ type: "heading", text: line.trim(), line: i + 1 });
      i += 1;
    } else if (line.trim().startsWith("<!--")) i = comment(lines, i);
    else if (line.trim()) i = paragraph(lines, i, pieces);
    else i += 1;
  }
  return pieces;
}

/** A fenced block from line `start`; returns the line after it. */
function fenced(lines: string[], start: number, pieces: Piece[]): number {
  const [, fence, info] = FENCE.exec(lines[start])!;
  let end = start + 1;
  while (end < lines.length && !closes(lines[end], fence)) end += 1;
  const body = lines.slice(start + 1, end);
  if (RUNNABLE.has(info.toLowerCase())) {
    pieces.push({ type: "code", code: body.join("\n"), line: start + 2 });
  } else {
    pieces.push({ type: "verbatim", lines: body, line: start + 2 });
  }
  // An unclosed fence runs to the end of the file, as CommonMark has it.
  return end + 1;
}

function closes(line: string, fence: string): boolean {
  const trimmed = line.trim();
  return trimmed.startsWith(fence) &&
    trimmed.split("").every((ch) => ch === fence[0]);
}

/** An HTML comment: notes for whoever edits the file, never printed. */
function comment(lines: string[], start: number): number {
  let end = start;
  while (end < lines.length && !lines[end].includes("-->")) end += 1;
  return end + 1;
}

/** Lines up to a blank line, heading or fence make one paragraph. */
function paragraph(lines: string[], start: number, pieces: Piece[]): number {
  let end = start;
  while (end < lines.length && lines[end].trim() &&
    (end === start || !(FENCE.test(lines[end]) || HEADING.test(lines[end])))) {
    end += 1;
  }
  const text = lines.slice(start, end).map(inline).join("\n");
  pieces.push({ type: "prose", text, line: start + 1 });
  return end;
}

/** Links as `text (url)`: a terminal cannot follow them. */
function inline(line: string): string {
  return line.replace(/!?\[([^\]]*)\]\(([^)\s]+)\)/g, "$1 ($2)");
}
