// Syscall errors as nsrepl reports them: the operation, the object it was
// applied to, the errno name and text — and, where the kernel has a rule a
// user can learn, that rule and what to do about it.

import type { KindName } from "./kinds.js";
import { errnoName, errnoText } from "./errno.js";
import { explain } from "./explain.js";

export { explain } from "./explain.js";
export type { Explanation, ExplainContext } from "./explain.js";

/** A failed system call, named after the operation and its object. */
export class SyscallError extends Error {
  /** The call as the user would name it: `setns(net)`, `mount`, `fork`. */
  op: string;
  /** What it was applied to: a path, a namespace id, a pid. */
  object: string;
  errno: number;
  /** The errno's symbolic name, as in "EPERM". */
  code: string;
  /** strerror's text, as in "Operation not permitted". */
  text: string;
  /** The kernel rule behind this error, when nsrepl knows one. */
  rule: string | null;
  /** What to do about it. */
  hint: string | null;
  /** The namespace kind the rule was chosen for, if one. */
  kind: KindName | undefined;

  constructor(op: string, object: string, errno: number,
    kind?: KindName) {
    const code = errnoName(errno);
    const text = errnoText(errno);
    super(`${op}${joinObject(object)}: ${code} (${text})`);
    this.name = "SyscallError";
    this.op = op;
    this.object = object;
    this.errno = errno;
    this.code = code;
    this.text = text;
    this.kind = kind;
    const why = explain(op, errno, { kind, object });
    this.rule = why?.rule ?? null;
    this.hint = why?.hint ?? null;
  }
}

// "setns(net) on /proc/1/ns/net" but "fork into pid namespace pid:[N]":
// an object that starts with its own preposition reads on without "on".
function joinObject(object: string): string {
  if (object === "") return "";
  if (/^(into|in|to|for|of|from|at|with) /.test(object)) return ` ${object}`;
  return ` on ${object}`;
}

/** A SyscallError from a Node fs error (`err.code` is an errno name). */
export function fromNodeError(op: string, object: string, err: unknown,
  kind?: KindName): SyscallError | unknown {
  const code = (err as NodeJS.ErrnoException)?.code;
  const errno = (err as NodeJS.ErrnoException)?.errno;
  if (typeof code !== "string" || typeof errno !== "number") return err;
  return new SyscallError(op, object, Math.abs(errno), kind);
}

/** A launch that failed without an errno: a child died or lied. */
export class LaunchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LaunchError";
  }
}
