// How the REPL (and `ns`, `compare`) lay out namespace sets: aligned
// columns whatever the colors, and what differs marked.
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  ComparisonValue, NamespaceSetValue, NamespaceValue,
} from "../interpreter/values.js";
import {
  formatComparison, formatNamespaceSet,
} from "../interpreter/format.js";
import { colorsFor } from "../interpreter/colors.js";
import { KIND_NAMES, type KindName } from "../stdlib/kinds.js";
import { plain } from "./helpers/pty.js";

const HOST = 4026531800;

function set(label: string, apart: KindName[], hidden: KindName[] = []) {
  const kinds = {} as Record<KindName, NamespaceValue | null>;
  KIND_NAMES.forEach((k, i) => {
    const inode = HOST + i + (apart.includes(k) ? 500 : 0);
    kinds[k] = hidden.includes(k) ? null : new NamespaceValue(k, inode);
  });
  return new NamespaceSetValue(label, kinds);
}

const host = (k: KindName) => HOST + KIND_NAMES.indexOf(k);

test("ns marks the kinds that are not host's, in aligned columns", () => {
  const text = formatNamespaceSet(set("process 7", ["net"], ["time"]),
    colorsFor(false), host);
  const lines = text.split("\n");
  assert.is(lines[0], "process 7");
  assert.match(lines[4], /^ {2}net {5}net:\[4026532303\] +not host's$/);
  assert.match(lines[1], /^ {2}user {4}user:\[4026531800\]$/);
  assert.match(lines[8], /^ {2}time {4}\(not visible\)$/);
});

test("compare aligns both columns and marks each kind", () => {
  const cmp = new ComparisonValue(set("host", []), set("process 7", ["pid"]));
  const lines = formatComparison(cmp, colorsFor(false)).split("\n");
  assert.is(lines[0], "  kind    host                  process 7");
  assert.match(lines[3], /pid:\[4026532302\]\s+isolated$/);
  assert.match(lines[4], /net:\[4026531803\]\s+shared$/);
  const right = lines[0].indexOf("process 7");
  KIND_NAMES.forEach((kind, i) => {
    assert.ok(lines[i + 1].slice(right).startsWith(`${kind}:[`), kind);
    assert.ok(lines[i + 1].slice(10).startsWith(`${kind}:[`), kind);
  });
});

test("a long label on the right widens no column", () => {
  const long = set("process 4242 (containerd-shim)", ["pid"]);
  const short = set("process 7", ["pid"]);
  const lines = (b: NamespaceSetValue) => formatComparison(
    new ComparisonValue(set("host", []), b), colorsFor(false)).split("\n");
  assert.equal(lines(long).slice(1), lines(short).slice(1));
  assert.is(lines(long)[0], "  kind    host                  " +
    "process 4242 (containerd-shim)");
});

test("colors change no column", () => {
  const cmp = new ComparisonValue(set("host", []), set("p", ["pid"], ["ipc"]));
  const on = formatComparison(cmp, colorsFor(true));
  assert.is.not(on, formatComparison(cmp, colorsFor(false)));
  assert.is(plain(on), formatComparison(cmp, colorsFor(false)));
  const s = set("p", ["mnt"]);
  assert.is(plain(formatNamespaceSet(s, colorsFor(true), host)),
    formatNamespaceSet(s, colorsFor(false), host));
});

test.run();
