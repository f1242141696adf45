// Runs a whole script (a file, -e, standard input) or a Markdown tutorial
// with a narrator attached: `say` and `step` print prose and headings,
// and in step mode each step waits for Enter and each statement is shown
// before it runs.

import { Driver } from "./driver.js";
import { Narrator, setNarrator } from "./tutorial.js";
import { runMarkdown } from "./tutorial-markdown.js";

export interface RunOptions {
  args: string[];
  /** --step: pause before each step, show each statement. */
  step: boolean;
}

/** Runs `source` (a .ns script, or Markdown when `markdown`). */
export async function runSource(
  source: string, file: string, opts: RunOptions, markdown = false,
): Promise<number> {
  const write = (line: string) => process.stdout.write(line + "\n");
  const narrator = new Narrator(write, { step: opts.step }, true);
  const driver = new Driver({
    interactive: false, args: opts.args,
    out: (text) => narrator.output(text),
    beforeStatement: (stmt, text) => narrator.beforeStatement(stmt, text),
  });
  setNarrator(driver.interp, narrator);
  try {
    if (markdown) return await runMarkdown(source, file, driver, narrator);
    return (await driver.run(source, file)).status;
  } finally {
    driver.close();
  }
}
