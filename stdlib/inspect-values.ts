// What namespaces() and tree() return: values a script can read member by
// member, print (a table, a tree) and turn into JSON.

import {
  formatHolder, formatNamespaceTable, formatNamespaceTree,
} from "../interpreter/format-inspect.js";
import { colorsFor } from "../interpreter/colors.js";
import type { Value } from "../interpreter/values.js";
import { NamespaceValue, ObjectValue, toJson } from "../interpreter/values.js";
import type { Holder, MapEntry, NsRecord } from "./inspect-scan.js";

const plain = colorsFor(false);

/** How a namespace is held: Holder, or the processes in it. */
export type HolderData =
  | Holder
  | { type: "processes"; count: number; pid: number; command: string };

/** One way a namespace is kept alive. */
export class HolderValue extends ObjectValue {
  readonly typeName = "holder";

  constructor(readonly holder: HolderData) {
    super();
  }

  member(name: string): Value | undefined {
    return (this.holder as Record<string, Value | undefined>)[name];
  }

  memberNames(): string[] {
    return Object.keys(this.holder);
  }

  override data(): unknown {
    return { ...this.holder };
  }

  override toString(): string {
    return formatHolder(this.holder);
  }
}

/** One line of a uid_map or gid_map. */
export class MapEntryValue extends ObjectValue {
  readonly typeName = "map entry";

  constructor(readonly entry: MapEntry) {
    super();
  }

  member(name: string): Value | undefined {
    return (this.entry as unknown as Record<string, Value>)[name];
  }

  memberNames(): string[] {
    return ["inside", "outside", "count"];
  }

  override toString(): string {
    const e = this.entry;
    return `${e.inside} ${e.outside} ${e.count}`;
  }
}

/** One namespace of a listing: what it is, who holds it, who owns it. */
export class NamespaceRowValue extends ObjectValue {
  readonly typeName = "namespace info";
  readonly ns: NamespaceValue;
  readonly holders: HolderValue[];

  constructor(readonly record: NsRecord) {
    super();
    this.ns = new NamespaceValue(record.kind, record.inode);
    this.holders = holdersOf(record).map((h) => new HolderValue(h));
  }

  get id(): string {
    return this.ns.id;
  }

  member(name: string): Value | undefined {
    const r = this.record;
    switch (name) {
      case "kind": case "id": case "inode": return this.ns.member(name);
      case "ns": return this.ns;
      case "procs": return r.pids.length;
      case "pid": return r.pids[0] ?? null;
      case "pids": return [...r.pids];
      case "command": return r.command;
      case "owner": return nsOrNull("user", r.owner);
      case "parent": return nsOrNull(r.kind, r.parent);
      case "names": return [...r.names];
      case "holders": return [...this.holders];
      case "json": return toJson(this);
    }
    return r.kind === "user" ? this.userMember(name) : undefined;
  }

  private userMember(name: string): Value | undefined {
    const r = this.record;
    if (name === "owner_uid") return r.ownerUid;
    if (name === "uid_map") return mapValue(r.uidMap);
    if (name === "gid_map") return mapValue(r.gidMap);
    return undefined;
  }

  memberNames(): string[] {
    const names = ["kind", "id", "inode", "ns", "procs", "pid", "pids",
      "command", "owner", "parent", "names", "holders", "json"];
    if (this.record.kind !== "user") return names;
    return [...names, "owner_uid", "uid_map", "gid_map"];
  }

  override data(): unknown {
    const r = this.record;
    const out: Record<string, unknown> = {
      kind: r.kind, id: this.id, inode: r.inode, procs: r.pids.length,
      pid: r.pids[0] ?? null, pids: r.pids, command: r.command,
      owner: idOrNull("user", r.owner), names: r.names,
      holders: this.holders.map((h) => h.data()),
    };
    if (r.kind === "user" || r.kind === "pid") {
      out.parent = idOrNull(r.kind, r.parent);
    }
    if (r.kind !== "user") return out;
    return { ...out, owner_uid: r.ownerUid, uid_map: r.uidMap,
      gid_map: r.gidMap };
  }

  override toString(): string {
    return `${this.id} ${this.holders.map(String).join("; ")}`.trim();
  }
}

function holdersOf(r: NsRecord): HolderData[] {
  if (!r.pids.length) return r.holders;
  const count = r.pids.length;
  const procs = { type: "processes", count, pid: r.pids[0],
    command: r.command ?? "?" } as const;
  return [procs, ...r.holders];
}

function nsOrNull(kind: NsRecord["kind"], inode: number | null) {
  return inode === null ? null : new NamespaceValue(kind, inode);
}

function idOrNull(kind: NsRecord["kind"], inode: number | null) {
  return inode === null ? null : `${kind}:[${inode}]`;
}

function mapValue(map: MapEntry[] | null): Value {
  return map === null ? null : map.map((e) => new MapEntryValue(e));
}

/** What namespaces() returns: a table of every namespace found. */
export class NamespaceListValue extends ObjectValue {
  readonly typeName = "namespace list";

  constructor(
    readonly rows: NamespaceRowValue[],
    /** Processes nsrepl was not allowed to look into. */
    readonly hidden: number,
  ) {
    super();
  }

  member(name: string): Value | undefined {
    if (name === "rows") return [...this.rows];
    if (name === "hidden") return this.hidden;
    if (name === "json") return toJson(this);
    return undefined;
  }

  memberNames(): string[] {
    return ["rows", "hidden", "json"];
  }

  override items(): Value[] {
    return [...this.rows];
  }

  override data(): unknown {
    return this.rows.map((r) => r.data());
  }

  override toString(): string {
    return formatNamespaceTable(this, plain);
  }
}

/** A namespace in a tree: its row, what it owns, its children. */
export class TreeNodeValue extends ObjectValue {
  readonly typeName = "namespace tree node";

  constructor(
    readonly row: NamespaceRowValue,
    readonly children: TreeNodeValue[],
    /** Namespaces of other kinds that it owns (user namespaces only). */
    readonly owns: NamespaceValue[],
  ) {
    super();
  }

  member(name: string): Value | undefined {
    if (name === "children") return [...this.children];
    if (name === "owns") return [...this.owns];
    if (name === "json") return toJson(this);
    return this.row.member(name);
  }

  memberNames(): string[] {
    const own = this.row.record.kind === "user" ? ["owns"] : [];
    return [...this.row.memberNames(), "children", ...own];
  }

  override data(): unknown {
    const out = this.row.data() as Record<string, unknown>;
    if (this.row.record.kind === "user") {
      out.owns = this.owns.map((ns) => ns.id);
    }
    out.children = this.children.map((c) => c.data());
    return out;
  }

  override toString(): string {
    return this.row.toString();
  }
}

/** What tree() returns: user namespaces and pid namespaces, nested. */
export class NamespaceTreeValue extends ObjectValue {
  readonly typeName = "namespace tree";

  constructor(
    readonly user: TreeNodeValue[],
    readonly pid: TreeNodeValue[],
    readonly hidden: number,
  ) {
    super();
  }

  member(name: string): Value | undefined {
    if (name === "user") return [...this.user];
    if (name === "pid") return [...this.pid];
    if (name === "hidden") return this.hidden;
    if (name === "json") return toJson(this);
    return undefined;
  }

  memberNames(): string[] {
    return ["user", "pid", "hidden", "json"];
  }

  override data(): unknown {
    return {
      user: this.user.map((n) => n.data()),
      pid: this.pid.map((n) => n.data()),
    };
  }

  override toString(): string {
    return formatNamespaceTree(this, plain);
  }
}
