// Builtins that change mounts. The mount helpers act in the session's
// mount namespace through a helper job (mounts.ts) and refuse to run
// while that namespace is nsrepl's own: a script should not change the
// host's mounts by forgetting `unshare mnt`. persist and netns_add do the
// opposite on purpose: they bind into the host's (persist.ts says why).

import { readdirSync, statSync } from "node:fs";
import { resolve } from "node:path";
import type { Loc } from "../grammar/ast.js";
import { ScriptError } from "../interpreter/errors.js";
import type { Interpreter } from "../interpreter/interpreter.js";
import type { Value } from "../interpreter/values.js";
import { show, typeOf } from "../interpreter/values.js";
import type { Fn } from "./builtins.js";
import { text, whole } from "./builtins.js";
import { runReported, type JobOptions } from "./job-report.js";
import { PROPAGATION } from "./mounts.js";
import type { NsHandle } from "./types.js";

/** mount_proc, mount_tmpfs, bind, propagation, remount, umount. */
export function mountBuiltins(interp: Interpreter): Record<string, Fn> {
  const job = (name: string, args: string[], loc: Loc, opts?: JobOptions) =>
    mountJob(interp, name, args, loc, opts);
  return {
    mount_proc: ([path], loc) => mountProc(interp, path, loc),
    mount_tmpfs: ([path, size], loc) => job("mount_tmpfs",
      ["mount-tmpfs", pathArg(path, loc), ...sizeArg(size, loc)], loc),
    bind: ([src, dst, ro], loc) => job("bind", ["bind", pathArg(src, loc),
      pathArg(dst, loc), flag(ro, loc) ? "ro" : "rw"], loc),
    propagation: ([path, mode, rec], loc) => job("propagation",
      ["propagation", pathArg(path, loc), propagationArg(mode, loc),
        flag(rec, loc) ? "rec" : "one"], loc),
    remount: ([path, opts], loc) => job("remount",
      ["remount", pathArg(path, loc), remountArg(opts, loc)], loc),
    umount: ([path], loc) => job("umount", ["umount", pathArg(path, loc)],
      loc),
  };
}

async function mountJob(interp: Interpreter, name: string, args: string[],
  loc: Loc, opts?: JobOptions): Promise<Value> {
  const session = interp.session;
  if (session.handle("mnt").inode === session.own.mnt.inode) {
    throw new ScriptError(`unshare mnt first: ${name} would change the ` +
      "host's mounts", loc, ["the session's mount namespace is nsrepl's " +
      "own; mount helpers act only in one the session made or joined"]);
  }
  return runReported(interp, args, loc, opts);
}

// proc shows the pid namespace of the process that mounts it, so this
// job alone joins the session's pid namespace. One with no process yet
// would get the job as its init, and die with it.
function mountProc(interp: Interpreter, path: Value | undefined, loc: Loc) {
  const pid = interp.session.handle("pid");
  if (pid.inode !== interp.session.own.pid.inode && !hasProcessIn(pid)) {
    throw new ScriptError("the session's pid namespace has no process yet: " +
      "mounting proc from it would make the mounter its init", loc, [
      "start its init first (`spawn \"sleep 1000\" &` becomes PID 1), or " +
      "use `unshare pid, mnt mount proc`"]);
  }
  const args = ["mount-proc", pathArg(path ?? "/proc", loc)];
  return mountJob(interp, "mount_proc", args, loc, { omit: ["time"] });
}

// /proc/PID/ns/pid of any process in the namespace names it; nsrepl sees
// every process of the namespaces below its own.
function hasProcessIn(ns: NsHandle): boolean {
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (statSync(`/proc/${name}/ns/pid`).ino === ns.inode) return true;
    } catch {
      // Gone meanwhile, or another user's: not ours to count.
    }
  }
  return false;
}

/** An absolute path (relative ones are nsrepl's cwd's), free of NULs. */
export function pathArg(v: Value | undefined, loc: Loc): string {
  const path = text(v ?? null, loc);
  if (path === "" || path.includes("\0")) {
    const shown = path.replace(/\0/g, "\\0");
    throw new ScriptError(`'${shown}' is not a path`, loc);
  }
  return resolve(path);
}

function flag(v: Value | undefined, loc: Loc): boolean {
  if (v === undefined || typeof v === "boolean") return v ?? false;
  throw new ScriptError(`expected true or false, found ${typeOf(v)} ` +
    `'${show(v)}'`, loc);
}

// tmpfs takes bytes, or a number with k, m, g or % (of RAM).
function sizeArg(v: Value | undefined, loc: Loc): string[] {
  if (v === undefined || v === null) return [];
  if (typeof v === "number") return [String(whole(v, loc))];
  if (typeof v === "string" && /^\d+[kmg%]?$/i.test(v)) return [v];
  throw new ScriptError(`'${show(v)}' is not a tmpfs size: give bytes, ` +
    "or a number with k, m, g or %", loc);
}

function propagationArg(v: Value | undefined, loc: Loc): string {
  const mode = text(v ?? null, loc);
  if (Object.hasOwn(PROPAGATION, mode)) return mode;
  throw new ScriptError(`'${mode}' is not a propagation type: give ` +
    "private, slave, shared or unbindable", loc);
}

function remountArg(v: Value | undefined, loc: Loc): string {
  const mode = text(v ?? null, loc);
  if (mode === "ro" || mode === "rw") return mode;
  throw new ScriptError(`remount takes 'ro' or 'rw', found '${mode}'`, loc);
}
