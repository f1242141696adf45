// Builtins that inspect namespaces system-wide: namespaces() lists them
// as lsns does (and finds the ones only a mount or an fd keeps), tree()
// nests user and pid namespaces, json() writes any value as JSON.

import type { Loc } from "../grammar/ast.js";
import { ScriptError } from "../interpreter/errors.js";
import type { Interpreter } from "../interpreter/interpreter.js";
import type { Value } from "../interpreter/values.js";
import { show, toJson, typeOf } from "../interpreter/values.js";
import type { Fn } from "./builtins.js";
import { listNamespaces, namespaceTree } from "./inspect.js";
import type { KindName } from "./kinds.js";
import { KIND_NAMES, kindByName } from "./kinds.js";

/** Inspection builtins. */
export function inspectBuiltins(_interp: Interpreter): Record<string, Fn> {
  return {
    namespaces: ([kind], loc) => listNamespaces(kindFilter(kind, loc)),
    tree: () => namespaceTree(),
    json: ([v, indent], loc) => toJson(v ?? null, indentOf(indent, loc)),
  };
}

function kindFilter(v: Value | undefined, loc: Loc): KindName | null {
  if (v === undefined || v === null || v === "all") return null;
  const kind = typeof v === "string" ? kindByName(v) : undefined;
  if (kind) return kind.name;
  const msg = `unknown namespace kind ${quoted(v)}: ` +
    `expected one of ${KIND_NAMES.join(", ")} or all`;
  throw new ScriptError(msg, loc);
}

function indentOf(v: Value | undefined, loc: Loc): number {
  if (v === undefined) return 0;
  if (typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= 10) {
    return v;
  }
  throw new ScriptError(
    `json indent must be a whole number from 0 to 10, found ${quoted(v)}`,
    loc);
}

function quoted(v: Value): string {
  return typeof v === "string" ? `'${v}'` : `${typeOf(v)} ${show(v)}`;
}
