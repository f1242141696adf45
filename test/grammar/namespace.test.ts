// The namespace statements: every normative form of the language design
// gives the tree the interpreter expects.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parse } from "../../grammar/index.js";
import { expr, id, kind, num, stmt, str } from "./helpers.js";

const spawn = (command: unknown, options: unknown[] = [], background = false) =>
  ({ type: "Spawn", options, command, background });

test("spawn runs a string command in the foreground", () => {
  assert.equal(stmt('spawn "ps aux"'),
    { type: "ExprStmt", expr: spawn(str("ps aux")) });
});

test("spawn with & runs in the background", () => {
  assert.equal(stmt('spawn "sleep 30" &'),
    { type: "ExprStmt", expr: spawn(str("sleep 30"), [], true) });
});

test("spawn takes a list command", () => {
  assert.equal(expr('spawn ["ls", "-l"]'),
    spawn({ type: "List", items: [str("ls"), str("-l")] }));
});

test("spawn takes options before the command", () => {
  assert.equal(expr('spawn capture "hostname"'),
    spawn(str("hostname"), [{ type: "Capture" }]));
});

test("escaped double quotes inside a command string", () => {
  assert.equal(expr(`spawn "sh -c 'echo \\"hi\\"'"`),
    spawn(str(`sh -c 'echo "hi"'`)));
});

test("clone with kinds, mount proc and a command", () => {
  assert.equal(expr('clone pid, mnt mount proc "ps aux"'), {
    type: "Clone", kinds: [kind("pid"), kind("mnt")],
    options: [{ type: "MountProc" }], command: str("ps aux"),
    background: false,
  });
});

test("clone with map root before mount proc", () => {
  assert.equal(expr('clone user, pid, mnt map root mount proc "id -u"'), {
    type: "Clone", kinds: [kind("user"), kind("pid"), kind("mnt")],
    options: [{ type: "MapRoot" }, { type: "MountProc" }],
    command: str("id -u"), background: false,
  });
});

test("clone without a command makes a holder", () => {
  assert.equal(stmt("let holder = clone net"), {
    type: "Let", name: "holder",
    value: {
      type: "Clone", kinds: [kind("net")], options: [], command: null,
      background: false,
    },
  });
});

test("a background holder", () => {
  assert.equal(expr("clone net &"), {
    type: "Clone", kinds: [kind("net")], options: [], command: null,
    background: true,
  });
});

test("let p = clone ... & is a background process value", () => {
  assert.equal(stmt('let p = clone pid, mnt "sleep 30" &'), {
    type: "Let", name: "p",
    value: {
      type: "Clone", kinds: [kind("pid"), kind("mnt")], options: [],
      command: str("sleep 30"), background: true,
    },
  });
});

test("let r = spawn keeps the finished process", () => {
  assert.equal(stmt(`let r = spawn "sh -c 'exit 3'"`),
    { type: "Let", name: "r", value: spawn(str("sh -c 'exit 3'")) });
});

test("hostname takes a value, then the command follows", () => {
  assert.equal(expr('clone uts hostname "box" "hostname"'), {
    type: "Clone", kinds: [kind("uts")],
    options: [{ type: "Hostname", value: str("box") }],
    command: str("hostname"), background: false,
  });
});

test("an option value does not swallow a list command", () => {
  const e = expr('spawn cwd dir ["ls"]');
  assert.equal(e, spawn({ type: "List", items: [str("ls")] },
    [{ type: "Cwd", value: id("dir") }]));
});

test("mount as a kind folds to mnt, then mount proc is an option", () => {
  assert.equal(expr('clone mount mount proc "ps"'), {
    type: "Clone", kinds: [kind("mnt")], options: [{ type: "MountProc" }],
    command: str("ps"), background: false,
  });
});

test("all expands to the eight kinds in order", () => {
  const e = expr("clone all");
  assert.ok(e.type === "Clone");
  assert.equal(e.kinds.map((k) => k.kind),
    ["user", "mnt", "pid", "net", "uts", "ipc", "cgroup", "time"]);
});

test("every option form", () => {
  const e = expr("unshare user, mnt map user map 0 1000 1 uidmap 0 u.id 1 " +
    'gidmap 0 g(1) 1 setgroups deny setgroups allow propagation slave cwd "/"');
  assert.ok(e.type === "Unshare");
  assert.equal(e.options, [
    { type: "MapUser" },
    { type: "MapRange", which: "both",
      range: { inside: num(0), outside: num(1000), count: num(1) } },
    { type: "MapRange", which: "uid", range: { inside: num(0),
      outside: { type: "Member", object: id("u"), property: "id" },
      count: num(1) } },
    { type: "MapRange", which: "gid", range: { inside: num(0),
      outside: { type: "Call", callee: id("g"), args: [num(1)] },
      count: num(1) } },
    { type: "Setgroups", allow: false },
    { type: "Setgroups", allow: true },
    { type: "Propagation", mode: "slave" },
    { type: "Cwd", value: str("/") },
  ]);
});

test("unshare changes the session", () => {
  assert.equal(stmt("unshare net, uts"), {
    type: "ExprStmt",
    expr: { type: "Unshare", kinds: [kind("net"), kind("uts")], options: [] },
  });
  assert.equal(expr("unshare user map root"), {
    type: "Unshare", kinds: [kind("user")], options: [{ type: "MapRoot" }],
  });
  assert.equal(expr("unshare mnt propagation shared"), {
    type: "Unshare", kinds: [kind("mnt")],
    options: [{ type: "Propagation", mode: "shared" }],
  });
});

test("setns targets: pid, pid with kinds, host, process, path", () => {
  const setns = (target: unknown, kinds: unknown[] = []) =>
    ({ type: "ExprStmt", expr: { type: "Setns", target, kinds, options: [] } });
  assert.equal(stmt("setns 1234"), setns(num(1234)));
  assert.equal(stmt("setns 1234 net, uts"),
    setns(num(1234), [kind("net"), kind("uts")]));
  assert.equal(stmt("setns host"), setns({ type: "Host" }));
  assert.equal(stmt("setns p pid"), setns(id("p"), [kind("pid")]));
  assert.equal(stmt('setns "/proc/1/ns/net"'), setns(str("/proc/1/ns/net")));
});

test("setns options: mount proc after the target or the kinds, root, cwd", () => {
  const setns = (kinds: unknown[], options: unknown[]) =>
    ({ type: "Setns", target: id("p"), kinds, options });
  assert.equal(expr("setns p mount proc"), setns([], [{ type: "MountProc" }]));
  assert.equal(expr("setns p mount"), setns([kind("mnt")], []));
  assert.equal(expr('setns p pid, mount mount proc root "/srv" cwd d'),
    setns([kind("pid"), kind("mnt")], [{ type: "MountProc" },
      { type: "Root", value: str("/srv") }, { type: "Cwd", value: id("d") }]));
  const scoped = stmt('setns p root r { spawn "ls" }');
  assert.equal(scoped, {
    type: "Scoped", change: setns([], [{ type: "Root", value: id("r") }]),
    body: { type: "Block", body: [{ type: "ExprStmt", expr: spawn(str("ls")) }] },
  });
});

test("root for spawn and clone; offsets for clone, negative too", () => {
  assert.equal(expr('spawn root "/srv" "ls"'),
    spawn(str("ls"), [{ type: "Root", value: str("/srv") }]));
  const rooted = expr('clone user map root root "/srv" "ls"');
  assert.ok(rooted.type === "Clone");
  assert.equal(rooted.options,
    [{ type: "MapRoot" }, { type: "Root", value: str("/srv") }]);
  const e = expr('clone time offset boottime 86400 offset monotonic -60 "true"');
  assert.ok(e.type === "Clone");
  assert.equal(e.options, [
    { type: "TimeOffset", clock: "boottime", seconds: num(86400) },
    { type: "TimeOffset", clock: "monotonic",
      seconds: { type: "Unary", op: "-", operand: num(60) } },
  ]);
});

test("unshare and setns with a block are scoped", () => {
  const body = { type: "Block", body: [
    { type: "ExprStmt", expr: spawn(str("ip link")) },
  ] };
  assert.equal(stmt('unshare net { spawn "ip link" }'), {
    type: "Scoped",
    change: { type: "Unshare", kinds: [kind("net")], options: [] },
    body,
  });
  const scoped = stmt('setns 1234 net { spawn "ip addr" }');
  assert.equal(scoped, {
    type: "Scoped",
    change: { type: "Setns", target: num(1234), kinds: [kind("net")],
      options: [] },
    body: { type: "Block", body: [
      { type: "ExprStmt", expr: spawn(str("ip addr")) },
    ] },
  });
});

test("ns and compare statements inspect", () => {
  assert.equal(stmt("ns p"), { type: "Inspect", op: "ns", args: [id("p")] });
  assert.equal(stmt("compare host, p"),
    { type: "Inspect", op: "compare", args: [{ type: "Host" }, id("p")] });
});

test("ns( and compare( at statement start are calls", () => {
  assert.equal(stmt("ns(p).net.id"), {
    type: "ExprStmt",
    expr: { type: "Member", property: "id", object: {
      type: "Member", property: "net",
      object: { type: "Call", callee: id("ns"), args: [id("p")] },
    } },
  });
  assert.equal(stmt("compare (a, b)"), {
    type: "ExprStmt",
    expr: { type: "Call", callee: id("compare"), args: [id("a"), id("b")] },
  });
});

test("expect takes a test, a message and keeps the test's text", () => {
  assert.equal(stmt("expect p.status == 0"), {
    type: "Expect",
    test: { type: "Binary", op: "==",
      left: { type: "Member", object: id("p"), property: "status" },
      right: num(0) },
    message: null,
    text: "p.status == 0",
  });
  const s = stmt('expect r.stdout contains "PID",  "no PID"');
  assert.ok(s.type === "Expect");
  assert.is(s.text, 'r.stdout contains "PID"');
  assert.equal(s.message, str("no PID"));
});

test("expect text is the exact source, spaces and parentheses kept", () => {
  const s = stmt("expect  ( a +  b )*2 == f( x )  # why");
  assert.ok(s.type === "Expect");
  assert.is(s.text, "( a +  b )*2 == f( x )");
});

test("the normative expect example", () => {
  const body = stmts('let p = clone pid, mnt mount proc "true"\n' +
    "expect p.status == 0\n");
  assert.is(body.length, 2);
  assert.is(body[1].type, "Expect");
});

test("kinds and options carry their own locations", () => {
  const s = parse('clone pid,  mnt mount proc "x"', "t").body[0];
  assert.ok(s.type === "ExprStmt" && s.expr.type === "Clone");
  assert.equal(s.expr.kinds.map((k) => k.loc.column), [7, 13]);
  assert.is(s.expr.options[0].loc.column, 17);
  assert.is(s.expr.loc.column, 1);
});

function stmts(source: string) {
  return parse(source, "t").body;
}

test.run();
