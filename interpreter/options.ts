// The options of clone, unshare, setns and spawn: evaluated, and checked
// against the statement and the kinds they were given with, so that an
// option that cannot work is a script error at its own location and never
// a puzzling errno later.

import type {
  Expr, KindName, Loc, NsOption, Propagation,
} from "../grammar/ast.js";
import type { IdMaps, MapEntry, TimeOffsets } from "../stdlib/types.js";
import { ScriptError } from "./errors.js";
import type { Value } from "./values.js";
import { typeOf } from "./values.js";

export interface Options {
  maps: IdMaps | null;
  mountProc: boolean;
  propagation: Propagation;
  hostname: string | null;
  /** chroot for the program (or the session, with setns). */
  root: string | null;
  cwd: string | null;
  capture: boolean;
  /** Seconds a new time namespace's clocks run ahead of the host's. */
  offsets: TimeOffsets | null;
}

export type { TimeOffsets };

export type Statement = "spawn" | "clone" | "unshare" | "setns";
export type Evaluate = (expr: Expr) => Promise<Value>;

// Which options each statement takes. spawn creates no namespace, so the
// options that shape a new namespace do not fit it; setns joins, so only
// where programs start and what /proc shows fit it.
const FITS: Record<NsOption["type"], Statement[]> = {
  MapRoot: ["clone", "unshare"], MapUser: ["clone", "unshare"],
  MapRange: ["clone", "unshare"], Setgroups: ["clone", "unshare"],
  MountProc: ["clone", "unshare", "setns"],
  Propagation: ["clone", "unshare"],
  Hostname: ["clone", "unshare"], Cwd: ["clone", "spawn", "setns"],
  Root: ["clone", "spawn", "setns"],
  Capture: ["clone", "spawn"],
  // Written after the time namespace exists and before any process
  // enters it, by the process that unshares it.
  TimeOffset: ["clone", "unshare"],
};

// The kind each option works on; asking for it without creating that
// kind is a mistake the kernel would only answer with EINVAL or EPERM.
const NEEDS: Partial<Record<NsOption["type"], KindName>> = {
  MapRoot: "user", MapUser: "user", MapRange: "user", Setgroups: "user",
  MountProc: "mnt", Propagation: "mnt", Hostname: "uts", TimeOffset: "time",
};

const WORDS: Record<NsOption["type"], string> = {
  MapRoot: "map root", MapUser: "map user", MapRange: "map",
  Setgroups: "setgroups", MountProc: "mount proc",
  Propagation: "propagation", Hostname: "hostname", Cwd: "cwd",
  Root: "root", Capture: "capture", TimeOffset: "offset",
};

/** Checks and evaluates the options of one statement. */
export async function evalOptions(
  options: NsOption[], stmt: Statement, kinds: KindName[], evaluate: Evaluate,
): Promise<Options> {
  const out: Options = {
    maps: null, mountProc: false, propagation: "private",
    hostname: null, root: null, cwd: null, capture: false, offsets: null,
  };
  for (const opt of options) {
    checkFit(opt, stmt, kinds);
    await apply(out, opt, evaluate);
  }
  return out;
}

function checkFit(opt: NsOption, stmt: Statement, kinds: KindName[]): void {
  const word = WORDS[opt.type];
  if (!FITS[opt.type].includes(stmt)) {
    const why = stmt === "spawn"
      ? "spawn creates no namespaces; use clone for a new one"
      : stmt === "setns"
        ? "setns joins namespaces that exist; only 'mount proc', 'root' " +
          "and 'cwd' fit it"
        : `'${word}' is for a process with a command`;
    throw new ScriptError(`option '${word}' does not fit '${stmt}': ${why}`, opt.loc);
  }
  // setns creates the mount namespace 'mount proc' needs itself.
  const needed = stmt === "setns" ? undefined : NEEDS[opt.type];
  if (needed && !kinds.includes(needed)) {
    const msg = `option '${word}' needs a new ${needed} namespace: ` +
      `add '${needed}' to the kinds`;
    throw new ScriptError(msg, opt.loc);
  }
}

async function apply(out: Options, opt: NsOption, evaluate: Evaluate) {
  switch (opt.type) {
    case "MapRoot": return addMaps(out, selfMap(0, 0));
    case "MapUser": return addMaps(out, selfMap(euid(), egid()));
    case "MapRange": return addRange(out, opt, evaluate);
    case "Setgroups": return setgroups(out, opt.allow, opt.loc);
    case "MountProc": out.mountProc = true; return;
    case "Propagation": out.propagation = opt.mode; return;
    case "Capture": out.capture = true; return;
    case "Hostname":
      out.hostname = await stringOption(opt.value, "hostname", evaluate);
      return;
    case "Cwd":
      out.cwd = await stringOption(opt.value, "cwd", evaluate);
      return;
    case "Root":
      out.root = await stringOption(opt.value, "root", evaluate);
      return;
    case "TimeOffset":
      out.offsets = { ...out.offsets, [opt.clock]: await seconds(opt, evaluate) };
      return;
  }
}

// Without privilege the kernel takes a gid map only after setgroups is
// denied (else a mapped user could drop supplementary groups that deny it
// access), so rootless nsrepl never writes "allow".
function setgroups(out: Options, allow: boolean, loc: Loc): void {
  if (allow && euid() !== 0) {
    const msg = "'setgroups allow' needs root: without privilege the " +
      "kernel accepts a gid map only after setgroups is denied";
    throw new ScriptError(msg, loc);
  }
  mapsOf(out).setgroups = allow ? "allow" : "deny";
}

function euid(): number {
  return process.geteuid?.() ?? 0;
}

function egid(): number {
  return process.getegid?.() ?? 0;
}

/** The caller's own uid and gid seen as `uid`/`gid` inside. */
function selfMap(uid: number, gid: number): IdMaps {
  return {
    uid: [{ inside: uid, outside: euid(), count: 1 }],
    gid: [{ inside: gid, outside: egid(), count: 1 }],
    setgroups: "deny",
  };
}

function mapsOf(out: Options): IdMaps {
  out.maps ??= { uid: [], gid: [], setgroups: "deny" };
  return out.maps;
}

function addMaps(out: Options, maps: IdMaps): void {
  const into = mapsOf(out);
  into.uid.push(...maps.uid);
  into.gid.push(...maps.gid);
}

async function addRange(
  out: Options, opt: Extract<NsOption, { type: "MapRange" }>,
  evaluate: Evaluate,
): Promise<void> {
  const entry: MapEntry = {
    inside: await idNumber(opt.range.inside, evaluate),
    outside: await idNumber(opt.range.outside, evaluate),
    count: await idNumber(opt.range.count, evaluate),
  };
  const maps = mapsOf(out);
  if (opt.which !== "gid") maps.uid.push(entry);
  if (opt.which !== "uid") maps.gid.push(entry);
}

async function idNumber(
  expr: Expr, evaluate: Evaluate,
): Promise<number> {
  const v = await evaluate(expr);
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v > 0xffffffff) {
    const msg = `a map needs whole numbers from 0 to 4294967295, found ${typeOf(v)} ${String(v)}`;
    throw new ScriptError(msg, expr.loc);
  }
  return v;
}

async function seconds(
  opt: Extract<NsOption, { type: "TimeOffset" }>, evaluate: Evaluate,
): Promise<number> {
  const v = await evaluate(opt.seconds);
  if (typeof v === "number" && Number.isInteger(v)) return v;
  const msg = `'offset ${opt.clock}' needs whole seconds, found ${typeOf(v)} ${String(v)}`;
  throw new ScriptError(msg, opt.seconds.loc);
}

async function stringOption(
  expr: Expr, name: string, evaluate: Evaluate,
): Promise<string> {
  const v = await evaluate(expr);
  if (typeof v === "string" && v !== "") return v;
  throw new ScriptError(`'${name}' needs a non-empty string, found ${typeOf(v)}`, expr.loc);
}

