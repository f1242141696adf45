// System-wide inspection: every namespace nsrepl can see, as a list
// (like lsns) or as trees of user and pid namespaces. Everything is read
// fresh on each call; nothing is cached, because namespaces come and go.

import { NamespaceValue } from "../interpreter/values.js";
import type { KindName } from "./kinds.js";
import { KIND_NAMES } from "./kinds.js";
import type { NsRecord } from "./inspect-scan.js";
import { scanNamespaces } from "./inspect-scan.js";
import { relate } from "./inspect-relations.js";
import {
  NamespaceListValue, NamespaceRowValue, NamespaceTreeValue, TreeNodeValue,
} from "./inspect-values.js";

interface Found { rows: NamespaceRowValue[]; hidden: number }

// Rows in the kind table's order (user first), then by inode, which is
// also the order the kernel made them in.
function findAll(): Found {
  const scan = scanNamespaces();
  relate(scan);
  const order = (r: NsRecord) => KIND_NAMES.indexOf(r.kind);
  const records = [...scan.records.values()]
    .sort((a, b) => order(a) - order(b) || a.inode - b.inode);
  const rows = records.map((r) => new NamespaceRowValue(r));
  return { rows, hidden: scan.hidden };
}

/** Every namespace on the system, or those of one kind. */
export function listNamespaces(kind: KindName | null): NamespaceListValue {
  const { rows, hidden } = findAll();
  const wanted = rows.filter((r) => kind === null || r.record.kind === kind);
  return new NamespaceListValue(wanted, hidden);
}

/** The tree of user namespaces and the tree of pid namespaces. */
export function namespaceTree(): NamespaceTreeValue {
  const { rows, hidden } = findAll();
  const user = nest(rows, "user");
  const pid = nest(rows, "pid");
  return new NamespaceTreeValue(user, pid, hidden);
}

// A parent that is not among the rows is out of nsrepl's scope (EPERM
// from NS_GET_PARENT leaves it null): its child is a root here.
function nest(rows: NamespaceRowValue[], kind: KindName): TreeNodeValue[] {
  const ofKind = rows.filter((r) => r.record.kind === kind);
  const inodes = new Set(ofKind.map((r) => r.record.inode));
  const node = (row: NamespaceRowValue): TreeNodeValue => {
    const children = ofKind.filter((c) => c.record.parent === row.record.inode);
    return new TreeNodeValue(row, children.map(node), owned(rows, row));
  };
  const isRoot = (r: NamespaceRowValue) =>
    r.record.parent === null || !inodes.has(r.record.parent);
  return ofKind.filter(isRoot).map(node);
}

// The namespaces of other kinds a user namespace owns; its child user
// namespaces are its children in the tree instead.
function owned(rows: NamespaceRowValue[],
  row: NamespaceRowValue): NamespaceValue[] {
  if (row.record.kind !== "user") return [];
  return rows
    .filter((r) => r.record.kind !== "user" &&
      r.record.owner === row.record.inode)
    .map((r) => r.ns);
}
