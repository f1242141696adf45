// Builtins that act on the session's network namespace. A socket or a
// link change happens in the network namespace of the process that makes
// it, and nsrepl never moves itself, so each runs a helper job (see
// helper.ts) inside the session, unless the session's network namespace
// is nsrepl's own. The mount and persist builtins are installed with
// these: they are the other half of building a small network by hand.

import type { Loc } from "../grammar/ast.js";
import { ScriptError } from "../interpreter/errors.js";
import type { Interpreter } from "../interpreter/interpreter.js";
import type { Value } from "../interpreter/values.js";
import { openTarget } from "../interpreter/targets.js";
import type { Fn } from "./builtins.js";
import { text, whole } from "./builtins.js";
import { mountBuiltins } from "./builtins-mount.js";
import { persistBuiltins } from "./builtins-persist.js";
import { jobOutput, runJob } from "./helper-client.js";
import { runReported } from "./job-report.js";
import { probe } from "./net.js";
import { parseCidr } from "./net-jobs.js";
import { closeNs } from "./nsfiles.js";

/** connect, listen, link_up, veth, addr_add, links; mounts; persist. */
export function netBuiltins(interp: Interpreter): Record<string, Fn> {
  return {
    connect: ([host, port], loc) => connect(interp, text(host, loc), whole(port, loc)),
    listen: ([port], loc) => listenIn(interp, whole(port, loc), loc),
    link_up: ([name], loc) => runReported(interp,
      ["link-up", linkName(name ?? "lo", loc)], loc),
    veth: (args, loc) => veth(interp, args, loc),
    addr_add: ([link, cidr], loc) => runReported(interp,
      ["addr-add", linkName(link, loc), cidrArg(cidr, loc)], loc),
    links: (_args, loc) => runReported(interp, ["links"], loc),
    ...mountBuiltins(interp),
    ...persistBuiltins(interp),
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

// The target's network namespace travels to the job as an open fd (its
// standard input), opened here where pids and paths mean what the
// script meant by them.
async function veth(interp: Interpreter, [a, b, target]: Value[], loc: Loc) {
  const names = [linkName(a, loc), linkName(b, loc)];
  if (target === undefined) {
    throw new ScriptError("veth needs a target for its second end: a " +
      "process, a pid, a namespace file or a /run/netns name", loc);
  }
  const ns = openTarget(target, ["net"], interp.session, loc).net!;
  try {
    await runReported(interp, ["veth", ...names], loc, { stdin: ns.fd });
    // The far end comes up from inside its own namespace.
    return await runReported(interp, ["link-up", names[1]], loc,
      { join: { net: ns } });
  } finally {
    if (ns !== interp.session.own.net) closeNs(ns);
  }
}

// The kernel's rule for link names (dev_valid_name): 1 to 15 bytes, not
// "." or "..", no '/', ':' or white space.
function linkName(v: Value | undefined, loc: Loc): string {
  const name = text(v ?? null, loc);
  const bytes = Buffer.byteLength(name);
  if (bytes > 0 && bytes < 16 && name !== "." && name !== ".." &&
    !/[/:\s\0]/.test(name)) return name;
  throw new ScriptError(`'${name}' is not a link name: 1 to 15 bytes, ` +
    "not '.' or '..', without '/', ':' or spaces", loc);
}

function cidrArg(v: Value | undefined, loc: Loc): string {
  const cidr = text(v ?? null, loc);
  if (parseCidr(cidr)) return cidr;
  throw new ScriptError(`'${cidr}' is not an IPv4 address with a prefix, ` +
    "as in '10.200.0.1/24'", loc);
}
