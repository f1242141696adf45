// Prose for a terminal: the text of `say` and the paragraphs of a
// Markdown tutorial, reflowed to the width of the screen. Source text is
// indented and broken wherever the author's editor put it, so lines are
// joined into paragraphs and filled again; only what is clearly laid out
// by hand (list items, lines indented as code) keeps its shape.

/** Reflows `text` into lines of at most `width` columns. */
export function reflow(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of paragraphs(dedent(text))) {
    if (lines.length) lines.push("");
    lines.push(...layout(paragraph, width));
  }
  return lines;
}

/**
 * Removes the indentation the source gave every line but the first, as
 * Python's cleandoc does: a multi-line string starts right after its
 * quote, and its next lines are indented to line up with it.
 */
export function dedent(text: string): string[] {
  const [first, ...rest] = text.replace(/\t/g, "    ").split("\n");
  const margins = rest.filter((l) => l.trim()).map((l) => indentOf(l));
  const margin = margins.length ? Math.min(...margins) : 0;
  return [first.trim(), ...rest.map((l) => l.slice(margin).trimEnd())];
}

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

/** Groups lines into paragraphs at blank lines. */
function paragraphs(lines: string[]): string[][] {
  const found: string[][] = [[]];
  for (const line of lines) {
    if (line.trim()) found[found.length - 1].push(line);
    else if (found[found.length - 1].length) found.push([]);
  }
  return found.filter((p) => p.length);
}

const ITEM = /^([-*+]|\d+[.)])\s+/;

/** One paragraph: items and plain text filled, code lines kept. */
function layout(paragraph: string[], width: number): string[] {
  const out: string[] = [];
  let words: string[] = [];
  let hang = "";
  const flush = () => {
    if (words.length) out.push(...fill(words, width, hang));
    words = [];
  };
  for (const line of paragraph) {
    const item = ITEM.exec(line);
    if (indentOf(line) >= 4) {
      flush();
      out.push(line);
      continue;
    }
    if (item) {
      flush();
      hang = " ".repeat(item[0].length);
    }
    words.push(...line.trim().split(/\s+/));
  }
  flush();
  return out;
}

/** Fills words into lines; lines after the first start with `hang`. */
export function fill(words: string[], width: number, hang = ""): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of words) {
    const next = line ? `${line} ${word}` : word;
    if (next.length <= width || line === "") {
      line = next;
      continue;
    }
    lines.push(line);
    line = hang + word;
  }
  if (line) lines.push(line);
  return lines;
}
