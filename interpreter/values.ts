// The values a script handles. Plain data maps onto JavaScript values
// (null, boolean, number, string, array); the things nsrepl knows about
// the kernel are small classes that answer member access.

import type { Loc } from "../grammar/ast.js";
import type { Child, ExitStatus } from "../stdlib/types.js";
import type { KindName } from "../stdlib/kinds.js";
import { KIND_NAMES } from "../stdlib/kinds.js";

export type Value =
  | null | boolean | number | string | Value[]
  | Callable | ObjectValue;

/** A function: declared with `fn` or built in. */
export interface Callable {
  readonly callable: true;
  readonly name: string;
  call(args: Value[], loc: Loc): Promise<Value>;
}

/** A value with members (`p.pid`, `ns(p).net.id`). */
export abstract class ObjectValue {
  abstract readonly typeName: string;
  /** The member called `name`, or undefined when there is none. */
  abstract member(name: string): Value | undefined;
  /** Names of the members, for completion and error messages. */
  abstract memberNames(): string[];
  /** One line for print and string interpolation. */
  abstract toString(): string;

  /** What `for` walks and `len` counts, for a value that is a list. */
  items(): Value[] | null {
    return null;
  }

  /** The value as JSON data (see toData); by default, its members. */
  data(): unknown {
    const out: Record<string, unknown> = {};
    for (const name of this.memberNames()) {
      const v = this.member(name);
      if (name !== "json" && v !== undefined && !isCallable(v)) {
        out[name] = toData(v);
      }
    }
    return out;
  }
}

/** One namespace, as the kernel names it: `net:[4026531840]`. */
export class NamespaceValue extends ObjectValue {
  readonly typeName = "namespace";

  constructor(public readonly kind: KindName, public readonly inode: number) {
    super();
  }

  get id(): string {
    return `${this.kind}:[${this.inode}]`;
  }

  member(name: string): Value | undefined {
    if (name === "kind" || name === "type") return this.kind;
    if (name === "id") return this.id;
    if (name === "inode") return this.inode;
    return undefined;
  }

  memberNames(): string[] {
    return ["kind", "id", "inode"];
  }

  override data(): unknown {
    return { kind: this.kind, id: this.id, inode: this.inode };
  }

  override toString(): string {
    return this.id;
  }
}

/** The eight namespaces of a process, the session or host. */
export class NamespaceSetValue extends ObjectValue {
  readonly typeName = "namespace set";

  constructor(
    /** What the set belongs to: `host`, `session`, `process 1234`. */
    public label: string,
    /** null where the kernel would not show it (gone, or no permission). */
    public kinds: Record<KindName, NamespaceValue | null>,
    /** The pid to join when the set is a setns target, if it has one. */
    public pid: number | null = null,
  ) {
    super();
  }

  member(name: string): Value | undefined {
    if (name === "label") return this.label;
    // `.pid` is the pid namespace, like every other kind; the process
    // the set was read from is `.process`.
    if (name === "process") return this.pid;
    if ((KIND_NAMES as string[]).includes(name)) {
      return this.kinds[name as KindName];
    }
    if (name === "mount") return this.kinds.mnt;
    if (name === "json") return toJson(this);
    return undefined;
  }

  memberNames(): string[] {
    return [...KIND_NAMES, "label", "process", "json"];
  }

  override data(): unknown {
    const namespaces: Record<string, unknown> = {};
    for (const k of KIND_NAMES) namespaces[k] = toData(this.kinds[k]);
    return { label: this.label, pid: this.pid, namespaces };
  }

  override toString(): string {
    return `namespaces of ${this.label}`;
  }
}

/** Two namespace sets side by side: which kinds they share. */
export class ComparisonValue extends ObjectValue {
  readonly typeName = "comparison";

  constructor(public a: NamespaceSetValue, public b: NamespaceSetValue) {
    super();
  }

  isShared(kind: KindName): boolean {
    const x = this.a.kinds[kind];
    const y = this.b.kinds[kind];
    return x !== null && y !== null && x.inode === y.inode;
  }

  member(name: string): Value | undefined {
    if (name === "shared") return KIND_NAMES.filter((k) => this.isShared(k));
    if (name === "isolated") {
      return KIND_NAMES.filter((k) => !this.isShared(k));
    }
    if (name === "a" || name === "left") return this.a;
    if (name === "b" || name === "right") return this.b;
    if (name === "json") return toJson(this);
    return undefined;
  }

  memberNames(): string[] {
    return ["shared", "isolated", "left", "right", "json"];
  }

  override data(): unknown {
    // A kind one side could not see is neither shared nor isolated.
    const kinds: Record<string, string> = {};
    for (const k of KIND_NAMES) {
      const seen = this.a.kinds[k] !== null && this.b.kinds[k] !== null;
      kinds[k] = !seen ? "unknown" : this.isShared(k) ? "shared" : "isolated";
    }
    return { left: this.a.data(), right: this.b.data(), kinds };
  }

  override toString(): string {
    return `comparison of ${this.a.label} and ${this.b.label}`;
  }
}

/** A process nsrepl started: running, or finished with a status. */
export class ProcessValue extends ObjectValue {
  readonly typeName = "process";
  status: number | null = null;
  signal: string | null = null;
  stdout: string | null = null;
  /** Why it never ran (`command not found`), when it did not. */
  failure: string | null = null;

  constructor(
    public child: Child,
    public command: string[] | null,
    public namespaces: NamespaceSetValue,
    /** Makes p.wait and p.kill, when first asked for: most never are. */
    private makeMethods: () => Record<string, Callable>,
  ) {
    super();
  }

  private methods: Record<string, Callable> | null = null;

  private method(name: string): Callable | undefined {
    this.methods ??= this.makeMethods();
    return Object.hasOwn(this.methods, name) ? this.methods[name] : undefined;
  }

  get pid(): number {
    return this.child.pid;
  }

  get running(): boolean {
    return this.status === null;
  }

  finish(exit: ExitStatus): void {
    this.status = exit.status;
    this.signal = exit.signal;
  }

  member(name: string): Value | undefined {
    switch (name) {
      case "pid": return this.pid;
      case "status": return this.status;
      case "signal": return this.signal;
      case "running": return this.running;
      case "stdout": case "output": return this.stdout;
      case "ns": return this.namespaces;
      case "command": return this.command;
      case "holder": return this.command === null;
      default: return this.method(name);
    }
  }

  memberNames(): string[] {
    const fixed = ["pid", "status", "signal", "running", "stdout", "ns"];
    this.methods ??= this.makeMethods();
    return [...fixed, "command", "holder", ...Object.keys(this.methods)];
  }

  override toString(): string {
    const what = this.command ? this.command.map(quoteWord).join(" ")
      : "holder";
    if (this.running) return `process ${this.pid} (${what}, running)`;
    const how = this.signal ? `killed by ${this.signal}` : `status ${this.status}`;
    return `process ${this.pid} (${what}, ${how})`;
  }
}

// A word shown as one would type it inside a command string: `sh -c
// 'exit 3'`, not `sh -c exit 3`, which is another command.
function quoteWord(word: string): string {
  if (/^[\w@%+=:,./-]+$/.test(word)) return word;
  if (!word.includes("'")) return `'${word}'`;
  return `"${word.replace(/[\\"]/g, "\\$&")}"`;
}

/** What `catch e` binds: the message and, for syscalls, the errno name. */
export class ErrorValue extends ObjectValue {
  readonly typeName = "error";

  constructor(
    public message: string,
    public code: string | null,
    public line: number | null,
  ) {
    super();
  }

  member(name: string): Value | undefined {
    if (name === "message") return this.message;
    if (name === "code") return this.code;
    if (name === "line") return this.line;
    return undefined;
  }

  memberNames(): string[] {
    return ["message", "code", "line"];
  }

  override toString(): string {
    return this.message;
  }
}

export function isCallable(v: Value): v is Callable {
  return typeof v === "object" && v !== null && "callable" in v;
}

/** The name of a value's type, for messages: `cannot add list and number`. */
export function typeOf(v: Value): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "list";
  if (isCallable(v)) return "function";
  if (v instanceof ObjectValue) return v.typeName;
  return typeof v;
}

/** A value as JSON data: lists item by item, objects by data(). */
export function toData(v: Value): unknown {
  if (Array.isArray(v)) return v.map(toData);
  if (isCallable(v)) return `fn ${v.name}`;
  if (v instanceof ObjectValue) return v.data();
  return v;
}

/** A value as JSON text, indented by `indent` spaces (0: one line). */
export function toJson(v: Value, indent = 0): string {
  return JSON.stringify(toData(v), null, indent || undefined);
}

/** A value as `print` and `${}` show it. */
export function show(v: Value): string {
  if (v === null) return "null";
  if (typeof v === "string") return v;
  if (Array.isArray(v)) return `[${v.map(showNested).join(", ")}]`;
  if (isCallable(v)) return `fn ${v.name}`;
  return String(v);
}

function showNested(v: Value): string {
  return typeof v === "string" ? JSON.stringify(v) : show(v);
}

/** A value as the REPL echoes it: strings quoted. */
export function inspect(v: Value): string {
  return showNested(v);
}

export function truthy(v: Value): boolean {
  if (v === null || v === false || v === 0 || v === "") return false;
  if (Array.isArray(v)) return v.length > 0;
  return true;
}

/** Structural equality: lists compare item by item, namespaces by inode. */
export function equal(a: Value, b: Value): boolean {
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => equal(x, b[i]));
  }
  if (a instanceof NamespaceValue && b instanceof NamespaceValue) {
    return a.kind === b.kind && a.inode === b.inode;
  }
  if (a instanceof ProcessValue && b instanceof ProcessValue) {
    return a.pid === b.pid;
  }
  return a === b;
}
