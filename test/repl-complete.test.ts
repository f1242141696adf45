// Tab completion, asked directly (what the REPL offers for a line up to
// the cursor) and once through a real terminal.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawn, spawnSync } from "node:child_process";
import { readFileSync, readdirSync, readlinkSync } from "node:fs";
import { complete } from "../interpreter/repl-complete.js";
import type { Scope } from "../interpreter/repl-complete.js";
import type { Value } from "../interpreter/values.js";
import {
  ErrorValue, NamespaceSetValue, NamespaceValue,
} from "../interpreter/values.js";
import { KIND_NAMES } from "../stdlib/kinds.js";
import { Terminal, session } from "./helpers/pty.js";
import { withNetnsName } from "./helpers/netns.js";

function setOf(label: string): NamespaceSetValue {
  const kinds = {} as Record<string, NamespaceValue>;
  for (const k of KIND_NAMES) kinds[k] = new NamespaceValue(k, 4026531830);
  return new NamespaceSetValue(label, kinds as never, 1);
}

const vars: Record<string, Value> = {
  e: new ErrorValue("no", "EPERM", 3),
  box: setOf("process 1"),
  prev: 3,
  names: ["a", "b"],
  print: { callable: true, name: "print", call: async () => null },
};

const scope: Scope = {
  names: () => Object.keys(vars),
  lookup: (name) => (name === "host" ? setOf("host") : vars[name]),
};

const offered = (line: string) => complete(line, scope)[0];

test("a statement or keyword completes, with a space after it", () => {
  assert.equal(complete("clo", scope), [["clone "], "clo"]);
  assert.equal(offered("un"), ["unshare "]);
});

test("variables and functions in scope complete, without a space", () => {
  assert.equal(offered("pr"), ["prev", "print"]);
});

test("ns and compare, statements and builtins, are offered once", () => {
  const fn = (name: string) => ({ callable: true, name,
    call: async () => null }) as Value;
  const both: Scope = { names: () => ["ns", "compare", "nsx"],
    lookup: (name) => fn(name) };
  assert.equal(complete("n", both)[0], ["not ", "ns ", "nsx", "null "]);
  assert.equal(complete("com", both)[0], ["compare "]);
});

test("kinds follow clone and unshare, and each comma", () => {
  assert.equal(offered("clone p"), ["pid "]);
  assert.equal(offered("unshare pid, n"), ["net "]);
  assert.ok(offered("let h = clone ").includes("cgroup "));
});

test("options follow the kinds, each statement its own", () => {
  assert.equal(offered("clone pid, mnt m"), ["map ", "mount "]);
  assert.equal(offered("unshare net c"), []);
  assert.equal(offered("clone net c"), ["capture ", "cwd "]);
  assert.equal(offered("spawn c"), ["capture ", "cwd "]);
});

test("an option's fixed values follow it; mount is a kind among kinds", () => {
  assert.equal(offered("clone user map "), ["root ", "user "]);
  assert.equal(offered("clone mnt propagation s"), ["shared ", "slave "]);
  assert.equal(offered("clone pid, mnt mount "), ["proc "]);
  assert.ok(offered("clone pid, mount ").includes("hostname "));
});

test("after a dot, the members of the value", () => {
  assert.equal(offered("print e.c"), ["code"]);
  assert.equal(offered("box.net.i"), ["id", "inode"]);
  assert.equal(offered("host.u"), ["user", "uts"]);
  assert.equal(offered("names.l"), ["length"]);
  assert.equal(offered("nothing.x"), []);
});

test("pids after setns and ns; kinds after the target", () => {
  assert.ok(offered("setns 1").some((c) => /^1 \(.+\)$/.test(c)));
  assert.ok(offered("ns ").includes("host"));
  assert.not.ok(offered("setns ").includes("print"));
  assert.equal(offered("setns 1 n"), ["net "]);
  assert.equal(offered("setns box pid, u"), ["user ", "uts "]);
});

test("setns and ns offer only the names whose values they take", () => {
  assert.equal(offered("setns "), offered("setns ").filter((c) =>
    !["e", "names", "print"].includes(c)));
  for (const name of ["box", "prev", "host"]) {
    assert.ok(offered("setns ").includes(name), name);
  }
  const session = { callable: true, name: "session",
    call: async () => null } as Value;
  const withSession: Scope = { names: () => ["session", "names"],
    lookup: (n) => (n === "session" ? session : vars[n]) };
  assert.equal(complete("ns s", withSession)[0], ["session"]);
  assert.equal(complete("setns s", withSession)[0], []);
  assert.equal(complete("compare host, n", withSession)[0], []);
});

/** A `sleep` in a network namespace of its own, its pid once it runs. */
async function sleeperElsewhere(): Promise<{ pid: number; end(): void }> {
  const child = spawn("unshare", ["--net", "sleep", "30"], { stdio: "ignore" });
  const pid = child.pid!;
  const own = readlinkSync("/proc/self/ns/net");
  const ready = () => {
    try {
      return readFileSync(`/proc/${pid}/comm`, "utf8") === "sleep\n" &&
        readlinkSync(`/proc/${pid}/ns/net`) !== own;
    } catch {
      return false;
    }
  };
  for (let i = 0; i < 250 && !ready(); i++) {
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.ok(ready(), `sleep ${pid} did not get a network namespace`);
  return { pid, end: () => child.kill("SIGKILL") };
}

/** What readline types in for these candidates: their common prefix. */
function typedIn(candidates: string[]): string {
  let prefix = candidates[0] ?? "";
  for (const c of candidates) while (!c.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix;
}

test("a listed pid says what runs there; what Tab types in is only ever a " +
  "pid", async () => {
  const sleeper = await sleeperElsewhere();
  try {
    const pid = String(sleeper.pid);
    assert.ok(offered("setns ").includes(`${pid} (sleep)`), String(offered("setns ")));
    assert.ok(offered("ns ").includes(`${pid} (sleep)`));
    for (const typed of ["", "1", pid.slice(0, -1), pid]) {
      const [candidates, on] = complete(`setns ${typed}`, scope);
      const inserted = typedIn(candidates).slice(on.length);
      assert.ok(/^\d*$/.test(inserted), `'setns ${typed}' types in '${inserted}'`);
      if (candidates.length === 1) assert.ok(/^\d+$/.test(candidates[0]));
    }
  } finally {
    sleeper.end();
  }
});

test("kernel threads are not offered as processes to join", () => {
  const kthread = readdirSync("/proc").find((p) => {
    try {
      return readFileSync(`/proc/${p}/comm`, "utf8") === "kdevtmpfs\n";
    } catch {
      return false;
    }
  });
  assert.ok(kthread, "no kdevtmpfs thread (devtmpfs, in its own mount namespace)");
  assert.not.equal(readlinkSync(`/proc/${kthread}/ns/mnt`),
    readlinkSync("/proc/self/ns/mnt"));
  const pidOf = (c: string) => c.split(" ")[0];
  assert.not.ok(offered("setns ").some((c) => pidOf(c) === kthread));
  assert.ok(offered(`setns ${kthread}`).length > 0);
});

test("setns options after the target or the kinds; mount may start mount proc", () => {
  assert.equal(offered("setns box m"), ["mnt ", "mount "]);
  assert.equal(offered("setns box r"), ["root "]);
  assert.equal(offered("setns box mount p"), ["proc "]);
  assert.equal(offered("setns box pid, net c"), ["cwd "]);
  assert.equal(offered("setns box pid mount p"), ["proc "]);
  assert.equal(offered('spawn root "/et'), ["etc/"]);
  assert.equal(offered("clone time offset b"), ["boottime "]);
});

test("in a string: programs first, then paths", () => {
  assert.ok(offered('spawn "ech').includes("echo"));
  assert.equal(complete('spawn "cat /etc/hostn', scope),
    [["hostname"], "hostn"]);
  assert.equal(complete('print read("/etc/hostn', scope),
    [["hostname"], "hostn"]);
  assert.equal(offered('clone net cwd "/et'), ["etc/"]);
  assert.equal(offered("# spawn cl"), []);
});

test("a string after setns completes /run/netns names", () => {
  withNetnsName(`nsrepl-complete-${process.pid}`, (name) => {
    const add = spawnSync("ip", ["netns", "add", name]);
    assert.is(add.status, 0, String(add.stderr));
    const typed = name.slice(0, -2);
    assert.equal(complete(`setns "${typed}`, scope), [[name], typed]);
  });
});

test("Tab in the terminal completes the word, twice lists the choices",
  async () => {
    const t = new Terminal();
    try {
      await t.waitFor(/nsrepl> $/);
      t.type("clo");
      t.type("\t");
      await t.waitFor(/nsrepl> clone $/);
      t.type("pid, mnt m");
      await t.waitFor(/mnt m$/);
      t.type("\t");
      await new Promise((r) => setTimeout(r, 100));
      t.type("\t");
      await t.waitFor(/map\s+mount\s[\s\S]*nsrepl> clone pid, mnt m$/);
      t.type("\x03.he");
      await t.waitFor(/nsrepl> \.he$/);
      t.type("\t");
      await t.waitFor(/nsrepl> \.help $/);
    } finally {
      t.kill();
    }
  });

test("Tab twice after setns lists a holder by its variable, and host; " +
  "the line stays as typed", () => session(async (t) => {
    t.type("let h = clone net\r");
    t.type('print "holder=${h.pid}"\r');
    const text = await t.waitFor(/holder=(\d+)\r?\nnsrepl> $/);
    const pid = /holder=(\d+)/.exec(text)![1];
    const at = t.mark();
    t.type("setns \t");
    await new Promise((r) => setTimeout(r, 100));
    t.type("\t");
    const list = await t.waitFor(/\bhost\b[\s\S]*\nnsrepl> setns $/, at);
    assert.match(list, new RegExp(`(^|\\s)${pid} \\(h\\)\\s`));
    t.type("ho\t");
    await t.waitFor(/\nnsrepl> setns host$/);
  }));

test.run();
