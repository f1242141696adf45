// Builtins that act on the session's network namespace. A socket or a
// link change happens in the network namespace of the process that makes
// it, and nsrepl never moves itself, so each runs a helper job (see
// helper.ts) inside the session, unless the session's network namespace
// is nsrepl's own.

import type { Loc } from "../grammar/ast.js";
import { ScriptError } from "../interpreter/errors.js";
import type { Interpreter } from "../interpreter/interpreter.js";
import type { Fn } from "./builtins.js";
import { text, whole } from "./builtins.js";
import { jobOutput, runJob } from "./helper-client.js";
import { probe } from "./net.js";

/** connect, listen, link_up. */
export function netBuiltins(interp: Interpreter): Record<string, Fn> {
  return {
    connect: ([host, port], loc) => connect(interp, text(host, loc), whole(port, loc)),
    listen: ([port], loc) => listenIn(interp, whole(port, loc), loc),
    link_up: ([name], loc) =>
      linkUpIn(interp, name === undefined ? "lo" : text(name, loc), loc),
  };
}

async function connect(interp: Interpreter, host: string, port: number) {
  const net = interp.session;
  if (net.handle("net").inode === net.own.net.inode) return probe(host, port);
  return (await jobOutput(interp, ["connect", host, String(port)])) || "error";
}

async function listenIn(interp: Interpreter, port: number, loc: Loc) {
  const child = runJob(interp, ["listen", String(port)]);
  const said = ((await child.output) ?? "").trim();
  if (said !== "listening") {
    await child.exited;
    const why = said.replace(/^error /, "") || "the listener exited";
    throw new ScriptError(`cannot listen on port ${port}: ${why}`, loc, [], "runtime", why);
  }
  return interp.ns.adopt(child, ["listen", String(port)], loc);
}

async function linkUpIn(interp: Interpreter, name: string, loc: Loc) {
  const said = await jobOutput(interp, ["link-up", name]);
  if (said === "up") return true;
  const why = said.replace(/^error /, "") || "the helper failed";
  throw new ScriptError(`cannot bring link '${name}' up: ${why}`, loc, [], "runtime", why);
}

