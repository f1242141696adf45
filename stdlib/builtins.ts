// The functions every script can call. Each is small; the ones that touch
// a namespace (listen, connect, link_up) run a helper process in the
// session, because a socket or a link change happens in the network
// namespace of the process that makes it.

import { existsSync, readFileSync } from "node:fs";
import { setTimeout as delay } from "node:timers/promises";
import type { Loc } from "../grammar/ast.js";
import { ScriptError } from "../interpreter/errors.js";
import type { Interpreter } from "../interpreter/interpreter.js";
import type { Callable, Value } from "../interpreter/values.js";
import {
  ObjectValue, ProcessValue, show, typeOf,
} from "../interpreter/values.js";
import { netBuiltins } from "./builtins-net.js";
import { inspectBuiltins } from "./builtins-inspect.js";
import { tutorialBuiltins } from "./builtins-tutorial.js";

/** A builtin: its arguments, and where it was called from. */
export type Fn = (args: Value[], loc: Loc) => Promise<Value> | Value;

/** Defines the builtins in the interpreter's global scope. */
export function installBuiltins(interp: Interpreter): void {
  const define = (name: string, fn: Fn) => {
    const callable: Callable = {
      callable: true, name, call: async (args, loc) => fn(args, loc),
    };
    interp.globals.define(name, callable);
  };
  for (const [name, fn] of Object.entries(plain())) define(name, fn);
  for (const [name, fn] of Object.entries(namespaced(interp))) define(name, fn);
  for (const [name, fn] of Object.entries(netBuiltins(interp))) define(name, fn);
  for (const [name, fn] of Object.entries(inspectBuiltins(interp))) {
    define(name, fn);
  }
  for (const [name, fn] of Object.entries(tutorialBuiltins(interp))) {
    define(name, fn);
  }
}

function plain(): Record<string, Fn> {
  return {
    len: ([v], loc) => lengthOf(v, loc),
    str: ([v]) => show(v),
    num: ([v], loc) => toNumber(v, loc),
    type: ([v]) => typeOf(v),
    range: ([n], loc) => [...Array(whole(n, loc)).keys()],
    lines: ([s], loc) => text(s, loc).split("\n").filter((l) => l !== ""),
    split: ([s, sep], loc) => splitText(text(s, loc), sep),
    join: ([list, sep], loc) => listOf(list, loc).map(show).join(sep === undefined ? " " : show(sep)),
    trim: ([s], loc) => text(s, loc).trim(),
    env: ([name], loc) => process.env[text(name, loc)] ?? null,
    exists: ([path], loc) => existsSync(text(path, loc)),
    read: ([path], loc) => readText(text(path, loc), loc),
    sleep: async ([s], loc) => {
      await delay(seconds(s, loc) * 1000);
      return null;
    },
  };
}

function namespaced(interp: Interpreter): Record<string, Fn> {
  const out = (s: string) => interp.host.out(s);
  return {
    print: (args) => {
      out(args.map(show).join(" "));
      return null;
    },
    ns: ([target], loc) => interp.ns.namespaces(target ?? "session", loc),
    compare: (args, loc) => interp.ns.compare(args, loc),
    session: () => interp.ns.sessionSet(),
    wait: async ([p], loc) => waitFor(p, loc),
  };
}

// ----------------------------------------------------------------- checks

export function text(v: Value, loc: Loc): string {
  if (typeof v === "string") return v;
  throw new ScriptError(`expected a string, found ${typeOf(v)}`, loc);
}

export function whole(v: Value, loc: Loc): number {
  if (typeof v === "number" && Number.isInteger(v) && v >= 0) return v;
  throw new ScriptError(`expected a whole number, found ${typeOf(v)} ${show(v)}`, loc);
}

function seconds(v: Value, loc: Loc): number {
  if (typeof v === "number" && v >= 0) return v;
  throw new ScriptError(`expected seconds as a number, found ${typeOf(v)}`, loc);
}

function listOf(v: Value, loc: Loc): Value[] {
  if (Array.isArray(v)) return v;
  throw new ScriptError(`expected a list, found ${typeOf(v)}`, loc);
}

function lengthOf(v: Value, loc: Loc): number {
  if (typeof v === "string" || Array.isArray(v)) return v.length;
  const items = v instanceof ObjectValue ? v.items() : null;
  if (items) return items.length;
  throw new ScriptError(`${typeOf(v)} has no length`, loc);
}

function toNumber(v: Value, loc: Loc): number {
  const n = typeof v === "string" ? Number(v.trim()) : v;
  if (typeof n === "number" && !Number.isNaN(n)) return n;
  throw new ScriptError(`cannot read ${show(v)} as a number`, loc);
}

function splitText(s: string, sep: Value): string[] {
  if (sep === undefined || sep === null) return s.split(/\s+/).filter(Boolean);
  return s.split(show(sep));
}

function readText(path: string, loc: Loc): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? null;
    throw new ScriptError(`cannot read '${path}': ${code}`, loc, [], "runtime", code);
  }
}

async function waitFor(p: Value, loc: Loc): Promise<Value> {
  if (!(p instanceof ProcessValue)) {
    throw new ScriptError(`wait needs a process, found ${typeOf(p)}`, loc);
  }
  p.child.ref();
  p.finish(await p.child.exited);
  if (p.child.output) p.stdout = await p.child.output;
  return p.status;
}
