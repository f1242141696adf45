// Builtins that keep the session's namespaces after nsrepl is gone
// (persist.ts does the work): persist, release, netns_add, netns_del.

import type { Loc } from "../grammar/ast.js";
import { ScriptError } from "../interpreter/errors.js";
import type { Interpreter } from "../interpreter/interpreter.js";
import type { Value } from "../interpreter/values.js";
import { NamespaceValue } from "../interpreter/values.js";
import type { Fn } from "./builtins.js";
import { text } from "./builtins.js";
import { pathArg } from "./builtins-mount.js";
import { SyscallError } from "./errors.js";
import { scriptError } from "./job-report.js";
import { kindByName, type KindName } from "./kinds.js";
import {
  netnsAdd, netnsDel, persist, PersistError, release,
} from "./persist.js";

/** persist, release, netns_add, netns_del. */
export function persistBuiltins(interp: Interpreter): Record<string, Fn> {
  // Read on each call: the session is made on first use.
  const session = { handle: (k: KindName) => interp.session.handle(k) };
  return {
    persist: ([kind, path], loc) => {
      const k = kindArg(kind, loc);
      const file = pathArg(path, loc);
      return keep(loc, () => persist(session.handle(k), file), k, interp);
    },
    release: ([path], loc) => {
      const file = pathArg(path, loc);
      return keep(loc, () => release(file), null, interp);
    },
    netns_add: ([name], loc) => {
      const kept = keep(loc,
        () => netnsAdd(session.handle("net"), text(name ?? null, loc)),
        "net", interp);
      hostNamed(interp, String(name), loc);
      return kept;
    },
    netns_del: ([name], loc) => keep(loc,
      () => netnsDel(text(name ?? null, loc)), null, interp),
  };
}

// ip netns add makes a namespace; netns_add names the session's, which
// is the host's until the session leaves it. Legitimate (ip netns attach
// does it), but rarely what someone coming from ip netns add meant.
function hostNamed(interp: Interpreter, name: string, loc: Loc): void {
  const s = interp.session;
  if (s.handle("net").inode !== s.own.net.inode) return;
  interp.host.warn(`'${name}' now names the host's network namespace: ` +
    "the session is still in it", loc, ["for a new one, as ip netns add " +
    "makes: `unshare net`, then netns_add(NAME)"]);
}

function kindArg(v: Value | undefined, loc: Loc): KindName {
  const name = text(v ?? null, loc);
  const kind = kindByName(name);
  if (kind) return kind.name;
  throw new ScriptError(`'${name}' is not a namespace kind: give user, ` +
    "mnt, pid, net, uts, ipc, cgroup or time", loc);
}

// Runs `act`; the namespace kept (for persist and netns_add) or true.
function keep(loc: Loc, act: () => unknown, kind: KindName | null,
  interp: Interpreter): Value {
  try {
    act();
  } catch (error) {
    throw asScriptError(error, loc);
  }
  if (!kind) return true;
  return new NamespaceValue(kind, interp.session.handle(kind).inode);
}

function asScriptError(error: unknown, loc: Loc): unknown {
  if (error instanceof PersistError) {
    return new ScriptError(error.message, loc, [], "runtime", error.code);
  }
  return error instanceof SyscallError ? scriptError(error, loc) : error;
}
