// What setns takes besides a target and kinds — `mount proc`, `root` and
// `cwd` — and `root` for a single program, end to end against the real
// kernel: pids as /proc shows them after the join, and files read from
// inside a real directory tree after chroot.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { failed, ok, runCode, runCodeAsNobody } from "./helpers/cli.js";
import { withRootfs } from "./helpers/rootfs.js";

const procMounts = (pid: number | "self") =>
  readFileSync(`/proc/${pid}/mountinfo`, "utf8").split("\n")
    .filter((line) => / - proc /.test(line)).length;

// Inside: the pid of the shell, what /proc/1 is, and every pid ps sees.
const VIEW = String.raw`"sh -c \"cut -d' ' -f1 /proc/self/stat; ` +
  String.raw`tr '\\0' ' ' < /proc/1/cmdline; echo; ps -e -o pid=\""`;

function view(out: string) {
  const [self, init, ...pids] = out.trim().split("\n").map((l) => l.trim());
  return { self: Number(self), init, pids: pids.map(Number) };
}

test("setns p mount proc: /proc and ps show p's pid namespace, p is PID 1", () => {
  const out = ok(runCode(`let p = clone pid "sleep 60" &
print p.pid
setns p mount proc
let r = spawn capture ${VIEW}
print r.stdout
expect isolated(session(), p, "mnt"), "a mount namespace of the session's own"
p.kill("SIGKILL")`));
  const [holder, ...rest] = out.split("\n");
  const seen = view(rest.join("\n"));
  assert.is(seen.init, "sleep 60");
  assert.ok(seen.self > 1 && seen.self < 10, `the shell is ${seen.self}`);
  assert.ok(seen.pids.includes(1) && seen.pids.length <= 4,
    `ps saw ${seen.pids}`);
  assert.ok(Number(holder) > 1);
});

test("setns p mount proc leaves p's mounts and the host's /proc alone", () => {
  const out = ok(runCode(`let p = clone pid, mnt mount proc "sleep 60" &
print p.pid
setns p mount proc
spawn "true"
setns host
let r = spawn capture "cut -d' ' -f1 /proc/self/stat"
print r.stdout
print p.pid
p.kill("SIGKILL")`));
  const [pid, hostSelf] = out.trim().split("\n").map(Number);
  assert.ok(hostSelf > 1, "back on the host, /proc is the host's");
  assert.ok(pid > 1);
  assert.is(procMounts("self"), 1, "the host has one proc mount");
});

test("setns p pid, mount mount proc: the kind and the option side by side", () => {
  const out = ok(runCode(`let p = clone pid "sleep 60" &
setns p pid, mount mount proc
let r = spawn capture ${VIEW}
print r.stdout
p.kill("SIGKILL")`));
  assert.is(view(out).init, "sleep 60");
});

test("rootless: setns into a user and pid namespace with mount proc", () => {
  const r = runCodeAsNobody(`let p = clone user, pid map root "sleep 60" &
setns p mount proc
let r = spawn capture ${VIEW}
print r.stdout
p.kill("SIGKILL")`);
  assert.is(r.status, 0, r.stderr);
  const seen = view(r.stdout);
  assert.is(seen.init, "sleep 60");
  assert.ok(seen.pids.length <= 4, `ps saw ${seen.pids}`);
});

test("mount proc with kinds but no pid is a script error at the setns", () => {
  const err = failed(runCode(`let p = clone pid "sleep 60" &
setns p net mount proc`));
  assert.match(err, /-e:2:1: error: 'mount proc' with setns needs 'pid' among the kinds/);
});

test("mount proc into a pid namespace with no process yet is refused, not made its init", () => {
  const dir = mkdtempSync("/tmp/nsrepl-setns-");
  const file = join(dir, "pid");
  try {
    const out = ok(runCode(`unshare pid
persist("pid", "${file}")
setns host
try { setns "${file}" mount proc } catch e { print e.message }
setns "${file}"
spawn "sh -c 'echo $$'"
release("${file}")`));
    const [message, first] = out.split("\n");
    assert.match(message, /^'mount proc' needs a process in pid:\[\d+\], which has none yet/);
    assert.is(first, "1", "the namespace still takes its init");
  } finally {
    runCode(`release("${file}")`);
    rmSync(dir, { recursive: true, force: true });
  }
});

test("spawn root DIR: chroot into a real tree, cwd is its root; cwd is inside it", () => {
  withRootfs((root) => {
    const out = ok(runCode(`spawn root "${root}" "sh -c 'read x < /marker; echo $x $PWD'"
spawn root "${root}" cwd "home/me" "sh -c 'read x < note; echo $x $PWD'"`));
    assert.is(out, "inside /\nhello /home/me");
  });
});

test("setns p root DIR cwd DIR: later programs start there, until setns host", () => {
  withRootfs((root) => {
    const out = ok(runCode(`let p = clone mnt "sleep 60" &
setns p root "${root}" cwd "/home/me"
spawn "sh -c 'read x < note; echo $x $PWD'"
spawn cwd "/" "sh -c 'read x < marker; echo $x $PWD'"
setns p root "${root}" { spawn "sh -c 'echo block $PWD'" }
spawn "sh -c 'echo after $PWD'"
setns host
spawn "sh -c 'echo host; test -e /marker || echo no-marker'"
p.kill("SIGKILL")`));
    assert.equal(out.split("\n"), ["hello /home/me", "inside /",
      "block /", "after /home/me", "host", "no-marker"]);
  });
});

test("joining another mount namespace drops the session's root, as setns(2) does", () => {
  withRootfs((root) => {
    const out = ok(runCode(`let a = clone mnt "sleep 60" &
let b = clone mnt "sleep 60" &
setns a root "${root}"
spawn "sh -c 'read x < /marker; echo $x'"
setns b
spawn "sh -c 'test -e /marker || echo dropped'"
a.kill("SIGKILL")
b.kill("SIGKILL")`));
    assert.is(out, "inside\ndropped");
  });
});

test("setns p root DIR mount proc: /proc of p's pid namespace inside DIR", () => {
  withRootfs((root) => {
    const out = ok(runCode(`let p = clone pid "sleep 60" &
setns p root "${root}" mount proc
spawn "sh -c 'read pid comm rest < /proc/1/stat; echo $comm'"
p.kill("SIGKILL")`));
    assert.is(out, "(sleep)");
    assert.is(procMounts("self"), 1, "the host has one proc mount");
  });
});

test("rootless: root needs CAP_SYS_CHROOT, which a user namespace gives", () => {
  withRootfs((root) => {
    const r = runCodeAsNobody(`clone user map root root "${root}" "sh -c 'read x < /marker; echo $x'"
spawn root "${root}" "sh"`);
    assert.is(r.stdout, "inside\n");
    assert.is(r.status, 70);
    assert.match(r.stderr, `-e:2:1: error: chroot on ${root}: EPERM`);
    assert.match(r.stderr, /note: chroot needs CAP_SYS_CHROOT/);
  });
});

test("a root that is not there fails at the setns, with the kernel's errno", () => {
  const err = failed(runCode(`setns host root "/nonexistent-nsrepl"`));
  assert.match(err, /-e:1:1: error: chroot on \/nonexistent-nsrepl: ENOENT/);
});

test("options that do not fit setns are script errors at their location", () => {
  const err = failed(runCode(`setns host hostname "x"`));
  assert.match(err, /-e:1:12: error: option 'hostname' does not fit 'setns': setns joins namespaces that exist/);
});

test.run();
