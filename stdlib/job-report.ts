// Helper jobs that report: the job prints one JSON line — its result, or
// the failed call as operation, object and errno — and the builtin that
// started it turns a failure back into a SyscallError, so a kernel error
// from inside the session reads, and is explained, like one from nsrepl.

import { writeSync } from "node:fs";
import type { Loc } from "../grammar/ast.js";
import { ScriptError } from "../interpreter/errors.js";
import type { Interpreter } from "../interpreter/interpreter.js";
import type { Value } from "../interpreter/values.js";
import { SyscallError } from "./errors.js";
import type { KindName } from "./kinds.js";
import { launch } from "./launch.js";
import { helperArgv } from "./self.js";
import type { LaunchSpec, NsHandle, Stdio } from "./types.js";

/** A job that returns a value or throws; the helper reports either. */
export type ReportedJob = (args: string[]) => Value | Promise<Value>;

/** A job's refusal that is not a failed syscall. */
export class JobError extends Error {}

type Report =
  | { ok: Value }
  | { op: string; object: string; errno: number }
  | { fail: string };

/** Helper side: runs `job`, prints its report; returns the exit status. */
export async function reportJob(job: () => Value | Promise<Value>) {
  const report = await settle(job);
  writeSync(1, `${JSON.stringify(report)}\n`);
  return "ok" in report ? 0 : 1;
}

async function settle(job: () => Value | Promise<Value>): Promise<Report> {
  try {
    return { ok: (await job()) ?? null };
  } catch (error) {
    if (error instanceof SyscallError) {
      return { op: error.op, object: error.object, errno: error.errno };
    }
    if (error instanceof JobError) return { fail: error.message };
    throw error;
  }
}

/** How a job differs from a plain process of the session. */
export interface JobOptions {
  /**
   * Kinds the job stays out of. pid and time, for most jobs: a job that
   * joined a pid namespace with no process in it yet would become its
   * init, and the namespace would die when the job ends.
   */
  omit?: KindName[];
  /** An fd that becomes the job's standard input (a namespace handle). */
  stdin?: number;
  /** Namespaces joined instead of the session's. */
  join?: Partial<Record<KindName, NsHandle>>;
}

/** A launch description for job `args` inside the session. */
export function jobSpec(interp: Interpreter, args: string[],
  opts: JobOptions = {}): LaunchSpec {
  const stdin: Stdio = opts.stdin === undefined ? { type: "null" }
    : { type: "fd", fd: opts.stdin };
  const spec = interp.session.baseSpec(helperArgv(args),
    [stdin, { type: "capture" }, { type: "inherit" }]);
  for (const kind of opts.omit ?? ["pid", "time"]) delete spec.join[kind];
  for (const [kind, h] of Object.entries(opts.join ?? {})) {
    const k = kind as KindName;
    if (h.inode === interp.session.own[k].inode) delete spec.join[k];
    else spec.join[k] = h;
  }
  return spec;
}

/** Runs job `args` to its end: its result, or a ScriptError at `loc`. */
export async function runReported(interp: Interpreter, args: string[],
  loc: Loc, opts: JobOptions = {}): Promise<Value> {
  const child = launchJob(jobSpec(interp, args, opts), loc);
  const [output, exit] = await Promise.all([child.output, child.exited]);
  const line = (output ?? "").trim().split("\n").pop() ?? "";
  let report: Report;
  try {
    report = JSON.parse(line) as Report;
  } catch {
    const msg = `helper job '${args[0]}' ended with status ${exit.status} ` +
      "and no report";
    throw new ScriptError(msg, loc);
  }
  return resultOf(report, loc);
}

function launchJob(spec: LaunchSpec, loc: Loc) {
  try {
    return launch(spec);
  } catch (error) {
    if (error instanceof SyscallError) throw scriptError(error, loc);
    throw error;
  }
}

function resultOf(report: Report, loc: Loc): Value {
  if ("ok" in report) return report.ok;
  if ("fail" in report) throw new ScriptError(report.fail, loc);
  const error = new SyscallError(report.op, report.object, report.errno);
  throw scriptError(error, loc);
}

/** A SyscallError as a script error whose notes are the kernel's rule. */
export function scriptError(error: SyscallError, loc: Loc,
  message = error.message): ScriptError {
  const notes = [error.rule, error.hint].filter((n): n is string => !!n);
  return new ScriptError(message, loc, notes, "runtime", error.code);
}
