// The session: the namespace context that `spawn` starts programs in.
//
// nsrepl never moves itself into another namespace. Node is multithreaded,
// and the kernel refuses to move a multithreaded process into another user
// namespace, moves only the calling thread for the other kinds, and leaves
// libuv's worker threads behind. So the session is a set of open handles
// (fds on /proc/PID/ns/*), one per kind, and every process nsrepl starts
// enters them itself before it runs the program.

import type { KindName } from "../stdlib/kinds.js";
import { KIND_NAMES } from "../stdlib/kinds.js";
import type {
  IdMaps, LaunchSpec, NsHandle, Stdio, TimeOffsets,
} from "../stdlib/types.js";
import type { Propagation } from "../grammar/ast.js";
import { launch } from "../stdlib/launch.js";
import { SyscallError } from "../stdlib/errors.js";
import { closeNs, openProcessNs, ownNamespaces } from "../stdlib/nsfiles.js";

type Handles = Record<KindName, NsHandle>;

/** Where the session's programs start: `setns ... root DIR cwd DIR`. */
export interface Place {
  root: string | null;
  cwd: string | null;
}

/** What a scoped block restores when it ends. */
interface Saved {
  handles: Handles;
  procMountPending: boolean;
  place: Place;
}

/** The options `setns` takes besides the kinds. */
export interface SetnsOptions {
  /** A fresh mount namespace with /proc of the joined pid namespace. */
  mountProc?: boolean;
  root?: string | null;
  cwd?: string | null;
  /** `setns host ...`: start from nsrepl's own root and cwd. */
  fresh?: boolean;
}

export interface UnshareOptions {
  maps: IdMaps | null;
  propagation: Propagation;
  hostname: string | null;
  mountProc: boolean;
  offsets: TimeOffsets | null;
}

// pid and time namespaces apply to a process's children only: unshare(2)
// of them leaves the caller where it was.
const FOR_CHILDREN: ReadonlySet<KindName> = new Set(["pid", "time"]);

export class Session {
  readonly own: Readonly<Handles> = ownNamespaces();
  private current: Handles = { ...this.own };
  private saved: Saved[] = [];
  /** `unshare pid, mnt mount proc`: the next process mounts /proc. */
  procMountPending = false;
  /** The root and working directory the session's programs get. */
  place: Place = { root: null, cwd: null };

  /** The handle the session's children get for `kind`. */
  handle(kind: KindName): NsHandle {
    return this.current[kind];
  }

  /** Kinds in which the session differs from where nsrepl started. */
  differing(): KindName[] {
    return this.differingIn(this.current);
  }

  /** Kinds in which `handles` differ from where nsrepl started. */
  private differingIn(handles: Handles): KindName[] {
    return KIND_NAMES.filter((k) => handles[k].inode !== this.own[k].inode);
  }

  /** What a new process must join to be in the session. */
  joinSpec(): Partial<Handles> {
    const join: Partial<Handles> = {};
    for (const kind of this.differing()) join[kind] = this.current[kind];
    return join;
  }

  /** A launch description for a process in the session. */
  baseSpec(argv: string[] | null, stdio: [Stdio, Stdio, Stdio]): LaunchSpec {
    return {
      argv, env: environment(), cwd: null, join: this.joinSpec(),
      create: [], createForChildren: [], maps: null, mountProc: false,
      propagation: "private", hostname: null, stdio,
    };
  }

  /**
   * Gives the session fresh namespaces of `kinds`. A short-lived holder
   * process creates them (inside the session's current namespaces, so a
   * new namespace is owned by the session's user namespace); the session
   * keeps fds on them and the holder is ended: an open fd keeps a
   * namespace alive without any process in it.
   */
  async unshare(kinds: KindName[], opts: UnshareOptions): Promise<void> {
    const spec = this.baseSpec(null, nullStdio());
    // Joining the session's pid (or time) namespace would make the holder
    // a process in it: the init of a fresh one, which dies with the holder
    // and takes the namespace along. Only a nested pid namespace needs the
    // holder inside (unshare(2) nests under the caller's own).
    for (const kind of FOR_CHILDREN) {
      if (!kinds.includes(kind)) delete spec.join[kind];
    }
    spec.create = kinds.filter((k) => !FOR_CHILDREN.has(k));
    spec.createForChildren = kinds.filter((k) => FOR_CHILDREN.has(k));
    Object.assign(spec, {
      maps: opts.maps, propagation: opts.propagation, hostname: opts.hostname,
      // The holder writes them itself, right after unshare(time): nobody
      // is in the namespace until the session's next program.
      timeOffsets: opts.offsets,
    });

    const fresh = await withHolder(spec, (pid) => openAll(pid, kinds))
      .catch((error: unknown) => { throw asUnshare(error); });
    for (const kind of kinds) this.replace(kind, fresh[kind]!);
    if (kinds.includes("pid")) this.procMountPending = opts.mountProc;
  }

  /**
   * Joins `handles`. A probe process enters them first, so a namespace
   * the kernel will not let the session join fails here, at the setns,
   * with the kernel's errno, and not at some later spawn; the probe also
   * takes the new root and working directory. It skips pid and time:
   * forking into a fresh pid namespace would make the probe its init, and
   * the namespace would die with the probe.
   *
   * Joining another mount namespace drops the root and working directory
   * the session had, as setns(2) resets a process's: they were paths in
   * the mount namespace it left.
   */
  async setns(handles: Partial<Handles>, opts: SetnsOptions = {})
    : Promise<void> {
    const next = { ...this.current, ...handles };
    const place = this.nextPlace(handles, opts);
    const spec = this.baseSpec(null, nullStdio());
    spec.join = {};
    for (const kind of this.differingIn(next)) {
      if (!FOR_CHILDREN.has(kind)) spec.join[kind] = next[kind];
    }
    Object.assign(spec, place);
    await withHolder(spec, () => null);
    const mnt = opts.mountProc ? await this.procView(next, place) : null;

    for (const [kind, h] of Object.entries(handles)) {
      this.replace(kind as KindName, h);
    }
    if (mnt) this.replace("mnt", mnt);
    this.place = place;
    if (handles.pid || mnt) this.procMountPending = false;
  }

  private nextPlace(handles: Partial<Handles>, opts: SetnsOptions): Place {
    const moved = opts.fresh || (handles.mnt !== undefined &&
      handles.mnt.inode !== this.current.mnt.inode);
    const root = opts.root ?? (moved ? null : this.place.root);
    const keepCwd = !moved && (opts.root ?? null) === null;
    return { root, cwd: opts.cwd ?? (keepCwd ? this.place.cwd : null) };
  }

  // `setns ... mount proc`: a holder that is a process of the joined pid
  // namespace (proc shows the pid namespace of whoever mounts it) makes a
  // private copy of the mount namespace and mounts /proc there, under the
  // new root if there is one. The session keeps that mount namespace; the
  // one it joined is left as it was.
  private async procView(next: Handles, place: Place): Promise<NsHandle> {
    const spec = this.baseSpec(null, nullStdio());
    spec.join = {};
    for (const kind of this.differingIn(next)) spec.join[kind] = next[kind];
    Object.assign(spec, place, {
      create: ["mnt"], mountProc: true, propagation: "private",
    });
    const fresh = await withHolder(spec, (pid) => openAll(pid, ["mnt"]));
    return fresh.mnt!;
  }

  /** Back to where nsrepl started, in every kind. */
  reset(): void {
    for (const kind of KIND_NAMES) this.replace(kind, this.own[kind]);
    this.procMountPending = false;
    this.place = { root: null, cwd: null };
  }

  /** Starts a scoped block: the current state comes back at `leave`. */
  enter(): void {
    const { procMountPending, place } = this;
    this.saved.push({ handles: { ...this.current }, procMountPending, place });
  }

  leave(): void {
    const saved = this.saved.pop()!;
    const dropped = Object.values(this.current);
    this.current = saved.handles;
    this.procMountPending = saved.procMountPending;
    this.place = saved.place;
    for (const h of dropped) this.release(h);
  }

  /** Closes every handle the session opened. */
  close(): void {
    this.saved = [];
    this.reset();
  }

  private replace(kind: KindName, h: NsHandle): void {
    const old = this.current[kind];
    this.current[kind] = h;
    if (old !== h) this.release(old);
  }

  // A handle is closed once neither the session nor a block waiting to
  // restore it refers to it; nsrepl's own handles live as long as nsrepl.
  private release(h: NsHandle): void {
    if (Object.values(this.own).includes(h)) return;
    if (Object.values(this.current).includes(h)) return;
    if (this.saved.some((s) => Object.values(s.handles).includes(h))) return;
    closeNs(h);
  }
}

/** Runs a holder for `spec`, lets `use` read its namespaces, ends it. */
async function withHolder<T>(
  spec: LaunchSpec, use: (pid: number) => T,
): Promise<T> {
  const holder = launch(spec);
  try {
    return use(holder.pid);
  } finally {
    holder.kill("SIGKILL");
    await holder.exited;
  }
}

// A holder that joins nothing first makes the namespaces with clone(2),
// one that joins some with unshare(2) after its setns calls. The kernel
// checks both alike (CAP_SYS_ADMIN, the per-user limits), and what the
// session does is unshare(2): a refusal is reported as that, the call
// the user wrote.
function asUnshare(error: unknown): unknown {
  if (!(error instanceof SyscallError) || !error.op.startsWith("clone(")) {
    return error;
  }
  const op = error.op.replace(/^clone/, "unshare");
  return new SyscallError(op, error.object, error.errno, error.kind);
}

function openAll(pid: number, kinds: KindName[]): Partial<Handles> {
  const opened: Partial<Handles> = {};
  try {
    for (const kind of kinds) {
      opened[kind] = openProcessNs(pid, kind, FOR_CHILDREN.has(kind));
    }
    return opened;
  } catch (error) {
    for (const h of Object.values(opened)) closeNs(h);
    throw error;
  }
}

function nullStdio(): [Stdio, Stdio, Stdio] {
  return [{ type: "null" }, { type: "null" }, { type: "null" }];
}

let inherited: string[] | null = null;

/**
 * The environment handed to programs, as NAME=value strings. nsrepl never
 * changes its own environment, and going through process.env costs a
 * getenv per variable: it is read once, at the first launch. Every launch
 * gets that one array, which the launcher only reads: a copy per spawn
 * was a few hundred bytes more garbage each. (Not frozen: V8 spreads and
 * iterates a frozen array the slow way, with an object per element.)
 */
export function environment(): string[] {
  if (inherited) return inherited;
  const strings: string[] = [];
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined) strings.push(`${name}=${value}`);
  }
  inherited = strings;
  return inherited;
}
