// Builds the namespace expressions, their kind lists and options.

import type { CstNode, IToken } from "chevrotain";
import type {
  CloneExpr, Expr, KindName, KindRef, MapRange, NsOption, Propagation,
  SetnsExpr, SpawnExpr, UnshareExpr,
} from "./ast.js";
import { expression, optionValue } from "./cst-expressions.js";
import { maybeSub, pick, sub, subs, tok, toks } from "./cst.js";
import { locOf } from "./locations.js";

// The order of the AST's KindName, which `all` expands to.
const ALL_KINDS: KindName[] =
  ["user", "mnt", "pid", "net", "uts", "ipc", "cgroup", "time"];

export function spawnExpr(node: CstNode): SpawnExpr {
  return {
    type: "Spawn",
    options: options(node),
    command: expression(sub(node, "expression")),
    background: tok(node, "Amp") !== undefined,
    loc: locOf(tok(node, "Spawn")!),
  };
}

export function cloneExpr(node: CstNode): CloneExpr {
  const given = maybeSub(node, "expression");
  return {
    type: "Clone",
    kinds: kinds(sub(node, "kinds")),
    options: options(node),
    command: given ? expression(given) : null,
    background: tok(node, "Amp") !== undefined,
    loc: locOf(tok(node, "Clone")!),
  };
}

export function unshareExpr(node: CstNode): UnshareExpr {
  return {
    type: "Unshare",
    kinds: kinds(sub(node, "kinds")),
    options: options(node),
    loc: locOf(tok(node, "Unshare")!),
  };
}

export function setnsExpr(node: CstNode): SetnsExpr {
  const list = maybeSub(node, "kinds");
  return {
    type: "Setns",
    target: expression(sub(node, "expression")),
    kinds: list ? kinds(list) : [],
    options: options(node),
    loc: locOf(tok(node, "Setns")!),
  };
}

// ---------------------------------------------------------------- kinds

function kinds(node: CstNode): KindRef[] {
  return toks(node, "Kind").flatMap(kindRefs);
}

function kindRefs(token: IToken): KindRef[] {
  const loc = locOf(token);
  if (token.image === "all") return ALL_KINDS.map((kind) => ({ kind, loc }));
  const kind = token.image === "mount" ? "mnt" : token.image as KindName;
  return [{ kind, loc }];
}

// -------------------------------------------------------------- options

function options(node: CstNode): NsOption[] {
  return subs(node, "nsOption").map(option);
}

const OPTION_KEYS = [
  "mapOption", "Uidmap", "Gidmap", "setgroupsOption", "Mount",
  "propagationOption", "Hostname", "Cwd", "Root", "Capture", "offsetOption",
];

function option(node: CstNode): NsOption {
  const key = pick(node, OPTION_KEYS);
  switch (key) {
    case "mapOption": return mapOption(sub(node, key));
    case "setgroupsOption": return setgroups(sub(node, key));
    case "propagationOption": return propagation(sub(node, key));
    case "offsetOption": return offset(sub(node, key));
  }
  const loc = locOf(tok(node, key)!);
  switch (key) {
    case "Uidmap": return mapRange(node, "uid", loc);
    case "Gidmap": return mapRange(node, "gid", loc);
    case "Mount": return { type: "MountProc", loc };
    case "Hostname": return { type: "Hostname", value: value(node), loc };
    case "Cwd": return { type: "Cwd", value: value(node), loc };
    case "Root": return { type: "Root", value: value(node), loc };
    default: return { type: "Capture", loc };
  }
}

function offset(node: CstNode): NsOption {
  const loc = locOf(tok(node, "Offset")!);
  const clock = tok(node, "Monotonic") ? "monotonic" : "boottime";
  const minus = tok(node, "Minus");
  const given = value(node);
  const seconds: Expr = minus
    ? { type: "Unary", op: "-", operand: given, loc: locOf(minus) } : given;
  return { type: "TimeOffset", clock, seconds, loc };
}

function value(node: CstNode): Expr {
  return optionValue(sub(node, "optionValue"));
}

function mapOption(node: CstNode): NsOption {
  const loc = locOf(tok(node, "Map")!);
  if (tok(node, "Root")) return { type: "MapRoot", loc };
  if (tok(node, "User")) return { type: "MapUser", loc };
  return mapRange(node, "both", loc);
}

function mapRange(node: CstNode, which: "both" | "uid" | "gid",
  loc: NsOption["loc"]): NsOption {
  const values = subs(sub(node, "mapRange"), "optionValue").map(optionValue);
  const [inside, outside, count] = values;
  const range: MapRange = { inside, outside, count };
  return { type: "MapRange", which, range, loc };
}

function setgroups(node: CstNode): NsOption {
  const loc = locOf(tok(node, "Setgroups")!);
  return { type: "Setgroups", allow: tok(node, "Allow") !== undefined, loc };
}

function propagation(node: CstNode): NsOption {
  const loc = locOf(tok(node, "Propagation")!);
  const word = toks(node, "Private")[0] ?? toks(node, "Slave")[0] ??
    toks(node, "Shared")[0] ?? toks(node, "Unchanged")[0];
  return { type: "Propagation", mode: word.image as Propagation, loc };
}
