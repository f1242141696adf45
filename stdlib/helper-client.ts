// Starting a helper job (`nsrepl --helper JOB ARGS...`) as a process in
// the session's namespaces. Its standard output is captured: a job says
// what happened there; errors of nsrepl itself go to standard error.

import type { Interpreter } from "../interpreter/interpreter.js";
import { launch } from "./launch.js";
import { helperArgv } from "./self.js";
import type { Child, Stdio } from "./types.js";

/** Starts helper job `args` inside the session; the caller awaits it. */
export function runJob(interp: Interpreter, args: string[]): Child {
  const stdio: [Stdio, Stdio, Stdio] = [
    { type: "null" }, { type: "capture" }, { type: "inherit" },
  ];
  const spec = interp.session.baseSpec(helperArgv(args), stdio);
  return launch(spec);
}

/** Runs a job to its end; resolves to what it printed, trimmed. */
export async function jobOutput(interp: Interpreter, args: string[]) {
  const child = runJob(interp, args);
  const [output] = await Promise.all([child.output, child.exited]);
  return (output ?? "").trim();
}
