// The four namespace statements and the two inspections, on top of the
// session (what the namespace context is) and the launcher (how a process
// gets into it).

import { existsSync } from "node:fs";
import type * as A from "../grammar/ast.js";
import type { KindName } from "../stdlib/kinds.js";
import { inKernelOrder, KIND_NAMES } from "../stdlib/kinds.js";
import { launch } from "../stdlib/launch.js";
import { LiveList } from "../stdlib/live-list.js";
import { SyscallError } from "../stdlib/errors.js";
import type { Child, LaunchSpec, NsHandle, Stdio } from "../stdlib/types.js";
import { nsId, ownNamespaces } from "../stdlib/nsfiles.js";
import { pidNsHasProcess } from "../stdlib/inspect-scan.js";
import type { Environment } from "./environment.js";
import { ScriptError } from "./errors.js";
import type { Interpreter } from "./interpreter.js";
import { evalOptions } from "./options.js";
import type { Options, Statement } from "./options.js";
import type { Origin } from "./reporter.js";
import { commandWords } from "./command.js";
import { droppedByInit } from "./init-signals.js";
import {
  handleNamespaces, namespacesOf, openTarget, processNamespaces,
} from "./targets.js";
import { formatComparison, formatNamespaceSet } from "./format.js";
import type { Callable, Value } from "./values.js";
import {
  ComparisonValue, NamespaceSetValue, ProcessValue,
} from "./values.js";

export class NamespaceOps {
  /** Processes still running, so the session can end them. */
  private live = new LiveList<ProcessValue>();

  constructor(private interp: Interpreter) {}

  private get session() {
    return this.interp.session;
  }

  host(): NamespaceSetValue {
    return handleNamespaces("host", (k) => this.session.own[k]);
  }

  sessionSet(): NamespaceSetValue {
    return handleNamespaces("session", (k) => this.session.handle(k));
  }

  // ------------------------------------------------------------ statements

  async spawn(e: A.SpawnExpr, env: Environment): Promise<ProcessValue> {
    const opts = await this.options(e.options, "spawn", [], env);
    const argv = await commandWords(this.interp, e.command, env);
    const spec = this.processSpec(argv, opts);
    return this.start(spec, opts, e.background, e.loc);
  }

  async clone(e: A.CloneExpr, env: Environment): Promise<ProcessValue> {
    const kinds = kindsOf(e.kinds);
    const opts = await this.options(e.options, "clone", kinds, env);
    const argv = e.command ? await commandWords(this.interp, e.command, env) : null;
    const spec = this.processSpec(argv, opts);
    spec.create = kinds;
    spec.mountProc = opts.mountProc;
    Object.assign(spec, {
      maps: opts.maps, propagation: opts.propagation, hostname: opts.hostname,
      timeOffsets: opts.offsets,
    });
    return this.start(spec, opts, e.background || argv === null, e.loc);
  }

  async unshare(e: A.UnshareExpr, env: Environment): Promise<Value> {
    const kinds = kindsOf(e.kinds);
    const opts = await this.options(e.options, "unshare", kinds, env);
    if (opts.mountProc && !kinds.includes("pid")) {
      const msg = "'mount proc' with unshare needs 'pid' too: /proc shows " +
        "the pid namespace of the process that mounts it";
      throw new ScriptError(msg, e.loc);
    }
    await this.syscall(e.loc, () => this.session.unshare(kinds, opts));
    return null;
  }

  async setns(e: A.SetnsExpr, env: Environment): Promise<Value> {
    if (e.target.type === "Identifier" && !env.has(e.target.name)) {
      throw unknownTarget(e.target);
    }
    const target = await this.interp.eval(e.target, env);
    const kinds = kindsOf(e.kinds);
    const opts = await this.options(e.options, "setns", kinds, env);
    if (opts.mountProc && kinds.length && !kinds.includes("pid")) {
      const msg = "'mount proc' with setns needs 'pid' among the kinds: " +
        "/proc shows the pid namespace of the process that mounts it";
      throw new ScriptError(msg, e.loc);
    }
    const { mountProc, root, cwd } = opts;
    const home = target instanceof NamespaceSetValue &&
      target.label === "host" && !kinds.length;
    if (home && !mountProc && root === null && cwd === null) {
      this.session.reset();
      return null;
    }
    const handles = openTarget(target, kinds, this.session, e.target.loc);
    if (mountProc) this.checkPidInit(handles.pid, e.loc);
    const given = { mountProc, root, cwd, fresh: home };
    await this.syscall(e.loc, () => this.session.setns(handles, given));
    return null;
  }

  // The holder that mounts /proc must be a process of the pid namespace;
  // in one that has no process yet it would become its init, and the
  // namespace would die with it.
  private checkPidInit(joined: NsHandle | undefined, loc: A.Loc): void {
    const h = joined ?? this.session.handle("pid");
    if (h.inode === this.session.own.pid.inode || pidNsHasProcess(h.inode)) {
      return;
    }
    const msg = `'mount proc' needs a process in ${nsId("pid", h.inode)}, ` +
      "which has none yet: the first process to enter a pid namespace " +
      "becomes its init";
    throw new ScriptError(msg, loc, ["start its init first, e.g. `spawn " +
      "\"sleep 1000\" &` in it, then join with mount proc"]);
  }

  /** `unshare ... { }` and `setns ... { }`: the change ends with the block. */
  async scoped(s: A.ScopedStmt, env: Environment): Promise<void> {
    this.session.enter();
    try {
      await this.interp.eval(s.change, env);
      await this.interp.execBlock(s.body.body, env);
    } finally {
      this.session.leave();
    }
  }

  async inspect(s: A.InspectStmt, env: Environment): Promise<void> {
    const values: Value[] = [];
    for (const arg of s.args) values.push(await this.interp.eval(arg, env));
    const text = s.op === "ns"
      ? formatNamespaceSet(this.namespaces(values[0], s.args[0].loc))
      : formatComparison(this.compare(values, s.loc));
    this.interp.host.out(text);
  }

  namespaces(v: Value, loc: A.Loc): NamespaceSetValue {
    return namespacesOf(v, this.session, loc);
  }

  compare(values: Value[], loc: A.Loc): ComparisonValue {
    if (values.length !== 2) {
      throw new ScriptError(`compare takes two targets, got ${values.length}`, loc);
    }
    const [a, b] = values.map((v) => this.namespaces(v, loc));
    return new ComparisonValue(a, b);
  }

  /** Ends every process this session started and has not seen end. */
  close(): void {
    for (const p of this.live.values()) p.child.kill("SIGKILL");
    this.live.clear();
  }

  // --------------------------------------------------------------- helpers

  private options(
    options: A.NsOption[], stmt: Statement, kinds: KindName[], env: Environment,
  ): Promise<Options> {
    return evalOptions(options, stmt, kinds, (x) => this.interp.eval(x, env));
  }

  private processSpec(argv: string[] | null, opts: Options): LaunchSpec {
    const out: Stdio = opts.capture ? { type: "capture" } : { type: "inherit" };
    const stdio: [Stdio, Stdio, Stdio] = argv
      ? [{ type: "inherit" }, out, { type: "inherit" }]
      : [{ type: "null" }, { type: "null" }, { type: "null" }];
    const spec = this.session.baseSpec(argv, stdio);
    // The statement's own root or cwd replaces the session's.
    const place = this.session.place;
    spec.root = opts.root ?? place.root;
    spec.cwd = opts.cwd ?? (opts.root !== null ? null : place.cwd);
    // The first process in a pid namespace made by `unshare pid, mnt mount
    // proc` is its init: it mounts /proc for everyone in the session.
    if (argv && this.session.procMountPending) spec.mountProc = true;
    return spec;
  }

  private async start(
    spec: LaunchSpec, opts: Options, background: boolean, loc: A.Loc,
  ): Promise<ProcessValue> {
    const tty = background ? null
      : this.interp.host.terminal?.ttyForPrograms() ?? null;
    if (tty !== null && spec.argv) spec.foreground = { tty };
    const child = this.syscallNow(loc, () => launch(spec));
    if (spec.mountProc && !spec.create.includes("pid")) {
      this.session.procMountPending = false;
    }
    const p = this.adopt(child, spec.argv, loc,
      { ...knownNamespaces(spec), ...child.inodes });
    if (!background) return this.finish(p, opts, !!spec.foreground);
    // A background process must not keep a finished script alive; it
    // dies with nsrepl (PR_SET_PDEATHSIG).
    child.unref();
    if (opts.capture) void child.output?.then((text) => (p.stdout = text));
    return p;
  }

  /** Wraps a started child as a process value the session tracks. */
  adopt(child: Child, argv: string[] | null, loc: A.Loc,
    known: Partial<Record<KindName, number>> = {}): ProcessValue {
    const label = `process ${child.pid}`;
    const namespaces = processNamespaces(child.pid, label, known);
    const p = new ProcessValue(child, argv, namespaces,
      () => this.methods(child));
    const link = this.live.add(p);
    // A background program may end while a later REPL entry runs: its
    // failure points into the source of the statement that started it.
    const origin = this.interp.origin;
    void child.exited.then((exit) => {
      p.finish(exit);
      this.live.remove(link);
      this.reportFailure(p, loc, origin);
    });
    return p;
  }

  private async finish(
    p: ProcessValue, opts: Options, foreground: boolean,
  ): Promise<ProcessValue> {
    // A program stopped at the terminal (Ctrl-Z) goes on in the session
    // as a running process; the REPL has said how to continue it.
    const terminal = foreground ? this.interp.host.terminal : undefined;
    if (terminal && !(await terminal.wait(p.child))) {
      if (opts.capture) void p.child.output?.then((t) => (p.stdout = t));
      return p;
    }
    // One after the other (neither rejects): Promise.all would cost an
    // array, an iterator and more promises on every spawn.
    const exit = await p.child.exited;
    const out = p.child.output ? await p.child.output : null;
    p.finish(exit);
    if (opts.capture) p.stdout = out ?? "";
    return p;
  }

  private reportFailure(p: ProcessValue, loc: A.Loc, origin: Origin): void {
    const failure = p.child.failure;
    if (!failure || p.failure) return;
    p.failure = failure;
    this.interp.host.warn(failure, loc, missingToolNotes(p.command), origin);
  }

  private methods(child: Child): Record<string, Callable> {
    return {
      wait: builtin("wait", async () => {
        child.ref();
        await child.exited;
        return null;
      }),
      kill: {
        callable: true, name: "kill",
        call: async (args, loc) => this.kill(child, args[0], loc),
      },
    };
  }

  private kill(child: Child, signal: Value | undefined, loc: A.Loc) {
    const sig = (typeof signal === "string" || typeof signal === "number"
      ? signal : "SIGTERM") as NodeJS.Signals | number;
    // Sent through the pidfd: true means the pid is still this child's.
    const sent = child.kill(sig);
    const dropped = sent ? droppedByInit(child.pid, sig) : null;
    if (dropped) {
      this.interp.host.warn(dropped, loc, ["SIGKILL ends it: " +
        "p.kill(\"SIGKILL\"); a handler in the program would let it end " +
        "cleanly"]);
    }
    return sent;
  }

  /** Runs a session step, turning kernel errors into script errors. */
  private async syscall<T>(loc: A.Loc, step: () => Promise<T>): Promise<T> {
    try {
      return await step();
    } catch (error) {
      throw scriptError(error, loc);
    }
  }

  /** The same for a step done at once, as a launch is. */
  private syscallNow<T>(loc: A.Loc, step: () => T): T {
    try {
      return step();
    } catch (error) {
      throw scriptError(error, loc);
    }
  }
}

// A kernel error as the script sees it; anything else as it was.
function scriptError(error: unknown, loc: A.Loc): unknown {
  if (!(error instanceof SyscallError)) return error;
  const notes = [error.rule, error.hint].filter((n): n is string => !!n);
  return new ScriptError(error.message, loc, notes, "runtime", error.code);
}

// The blog post's listener is nc, which many systems lack.
function missingToolNotes(argv: string[] | null): string[] {
  const tool = argv?.[0] ?? "";
  if (!["nc", "ncat", "netcat"].includes(tool)) return [];
  return ["listen(PORT) and connect(HOST, PORT) are built in and need " +
    "no nc (.help listen)"];
}

// `setns blue` after `ip netns add blue`: the name is a string here.
function unknownTarget(e: A.Identifier): ScriptError {
  const named = existsSync(`/run/netns/${e.name}`);
  const note = named
    ? `/run/netns/${e.name} exists: name it as a string, setns "${e.name}"`
    : "setns takes a pid, a process value, host, or a string: a " +
      "/run/netns name or a namespace file";
  return new ScriptError(`'${e.name}' is not defined`, e.loc, [note]);
}

// What /proc would say without asking it: a joined namespace is the one
// the launcher checked the process into, and a kind neither joined nor
// created is nsrepl's own. Only new namespaces are read.
function knownNamespaces(spec: LaunchSpec): Partial<Record<KindName, number>> {
  const known: Partial<Record<KindName, number>> = {};
  const own = ownNamespaces();
  for (const kind of KIND_NAMES) {
    const joined = spec.join[kind];
    if (spec.create.includes(kind) || spec.createForChildren.includes(kind)) {
      continue;
    }
    known[kind] = joined ? joined.inode : own[kind].inode;
  }
  return known;
}

function kindsOf(refs: A.KindRef[]): KindName[] {
  return inKernelOrder(refs.map((r) => r.kind));
}

function builtin(
  name: string, fn: (args: Value[]) => Promise<Value>,
): Callable {
  return { callable: true, name, call: (args) => fn(args) };
}
