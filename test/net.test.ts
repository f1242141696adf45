// The network builtins against the real kernel: a veth pair between two
// namespaces of nsrepl's own, addresses from 10.200.0.0/16, and loopback.
// No test sends a packet anywhere else. The namespaces die with nsrepl,
// and the veth pair with them; each test checks that the host's links
// are as they were.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readdirSync } from "node:fs";
import { runCode, runCodeAsNobody } from "./helpers/cli.js";
import type { CliResult } from "./helpers/cli.js";

const hostLinks = () => readdirSync("/sys/class/net").sort();
const port = () => 20000 + Math.floor(Math.random() * 10000);

function ok(r: CliResult): string {
  assert.is(r.status, 0, `status ${r.status}\n${r.stderr}`);
  return r.stdout;
}

function failed(r: CliResult): string {
  assert.is(r.status, 70, `status ${r.status}\n${r.stdout}\n${r.stderr}`);
  return r.stderr;
}

// Two namespaces: the session's (A, 10.200.N.1) and a holder's (B,
// 10.200.N.2) with a listener; A connects to B. The host tries B's port
// on its own loopback, where B's listener is not, and asks its routing
// table (`ip route get` sends nothing) whether a route leads to B.
function pairScript(net: number, p: number, prelude = ""): string {
  return `${prelude}
unshare net
let b = clone net
veth("nsva", "nsvb", b)
addr_add("nsva", "10.200.${net}.1/24")
print links()
setns b {
  print links()
  link_up("lo")
  addr_add("nsvb", "10.200.${net}.2/24")
  let l = listen(${p})
}
print connect("10.200.${net}.2", ${p})
setns host
print connect("127.0.0.1", ${p})
print links()
let route = spawn capture "ip route get 10.200.${net}.2"
print len(split(route.stdout, "nsv"))`;
}

// Each end sees its own; A reaches B; the host's loopback refuses; the
// host's links and routes know nothing of the pair.
function checkPair(out: string[], before: string[]): void {
  assert.equal(out.slice(0, 4), ['["lo", "nsva"]', '["lo", "nsvb"]',
    "connected", "refused"]);
  assert.equal((JSON.parse(out[4]) as string[]).sort(), before);
  assert.is(out[5], "1", "no route of the host's uses the pair");
}

test("a veth pair joins two namespaces: they talk, the host cannot reach them", () => {
  const before = hostLinks();
  const p = port();
  const out = ok(runCode(pairScript(7, p))).trim().split("\n");
  checkPair(out, before);
  assert.equal(hostLinks(), before, "the pair went with its namespaces");
});

test("rootless: the same pair inside a user namespace of nobody's", () => {
  const before = hostLinks();
  const p = port();
  const out = ok(runCodeAsNobody(pairScript(8, p, "unshare user map root")));
  checkPair(out.trim().split("\n"), before);
  assert.equal(hostLinks(), before);
});

test("rootless: link_up, listen and connect inside user and net", () => {
  const p = port();
  const out = ok(runCodeAsNobody(`unshare user map root
unshare net
print connect("127.0.0.1", ${p})
print link_up("lo")
let l = listen(${p})
print connect("127.0.0.1", ${p})`));
  assert.equal(out.trim().split("\n"), ["unreachable", "true", "connected"]);
});

test("links() in a new network namespace is only lo", () => {
  assert.is(ok(runCode(`unshare net\nprint links()`)).trim(), '["lo"]');
});

test("the veth target can be a namespace file path", () => {
  const out = ok(runCode(`unshare net
let b = clone net
veth("nsva", "nsvb", "/proc/\${b.pid}/ns/net")
setns b { print links() }`));
  assert.is(out.trim(), '["lo", "nsvb"]');
});

test("a name taken in the namespace: EEXIST with the rule", () => {
  const err = failed(runCode(`unshare net
let b = clone net
veth("nsva", "nsvb", b)
veth("nsva", "nsvc", b)`));
  assert.match(err, "RTM_NEWLINK for veth pair 'nsva', 'nsvc': EEXIST");
  assert.match(err, "note: link names are unique within a network namespace");
});

test("addr_add on a link that is not there: ENODEV with the rule", () => {
  const err = failed(runCode(`unshare net\naddr_add("nosuch", "10.200.9.1/24")`));
  assert.match(err, "if_nametoindex on link 'nosuch': ENODEV");
  assert.match(err, "note: no link has that name in the session's network");
  assert.match(err, "note: list them with links()");
});

test("link_up of a missing link reports the ioctl and the rule", () => {
  const err = failed(runCode(`unshare net\nlink_up("nosuch")`));
  assert.match(err, "ioctl(SIOCGIFFLAGS) on link 'nosuch': ENODEV");
  assert.match(err, "note: no link has that name");
});

test("bad link names and addresses are refused before any syscall", () => {
  const cases: [string, string][] = [
    [`veth("", "b", 1)`, "'' is not a link name"],
    [`veth("a/b", "b", 1)`, "'a/b' is not a link name"],
    [`veth("abcdefghijklmnop", "b", 1)`, "'abcdefghijklmnop' is not a link name"],
    [`veth("a", "b")`, "veth needs a target for its second end"],
    [`addr_add("lo", "10.200.0.300/24")`, "'10.200.0.300/24' is not an IPv4"],
    [`addr_add("lo", "10.200.0.1/33")`, "'10.200.0.1/33' is not an IPv4"],
  ];
  for (const [code, message] of cases) {
    const err = failed(runCode(`unshare net\n${code}`));
    assert.match(err, message, code);
  }
});

test.run();
