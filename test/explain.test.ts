// Kernel errors explained: each case is provoked for real, and the
// message must name the operation, the object, the errno and the rule.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { runCode, runCodeAsNobody } from "./helpers/cli.js";

test("EPERM joining a net namespace owned by a user namespace you are not in", () => {
  const r = runCodeAsNobody(`unshare user map root
let h = clone net
setns host
setns h net`);
  assert.is(r.status, 70);
  assert.match(r.stderr, /-e:4:1: error: setns\(net\) on \/proc\/\d+\/ns\/net: EPERM/);
  assert.match(r.stderr, /note: joining a namespace needs CAP_SYS_ADMIN in the user namespace that owns it/);
});

test("EPERM: rootless unshare is reported as unshare, clone as clone", () => {
  // The session's holder makes the namespace with clone(2) when it joins
  // nothing first; the user wrote unshare, and that is what is refused.
  const r = runCodeAsNobody(`try { unshare net, uts } catch e { print e }
try { clone net "true" } catch e { print e }
unshare net`);
  assert.is(r.status, 70);
  assert.is(r.stdout, "unshare(net,uts): EPERM (Operation not permitted)\n" +
    "clone(net): EPERM (Operation not permitted)\n");
  assert.match(r.stderr, /^-e:3:1: error: unshare\(net\): EPERM \(Operation not permitted\)\n  unshare net\n/);
  assert.match(r.stderr, /note: creating any namespace but user needs CAP_SYS_ADMIN/);
});

test("EPERM mounting proc without a pid namespace of your own", () => {
  const r = runCodeAsNobody(`clone user, mnt map root mount proc "true"`);
  assert.is(r.status, 70);
  assert.match(r.stderr, /mount\(proc\) on \/proc: EPERM/);
  assert.match(r.stderr, /does not own its pid namespace/);
});

test("ENOSPC past max_user_namespaces, lowered to 0 inside a user namespace", () => {
  const r = runCode(`let h = clone user map root "sleep 30" &
setns h user { spawn "sh -c 'echo 0 > /proc/sys/user/max_user_namespaces'" }
setns h user
try { clone user "true" } catch e { print e.code }
h.kill()
clone user "true"`);
  assert.is(r.stdout, "ENOSPC\n");
  assert.is(r.status, 70);
  assert.match(r.stderr, /unshare\(user\): ENOSPC/);
  assert.match(r.stderr, /max_user_namespaces/);
});

test("ENOSPC past max_net_namespaces: the limit names the kind", () => {
  const r = runCode(`let h = clone user map root "sleep 30" &
setns h user { spawn "sh -c 'echo 0 > /proc/sys/user/max_net_namespaces'" }
setns h user
clone net "true"`);
  assert.is(r.status, 70);
  assert.match(r.stderr, /-e:4:1: error: unshare\(net\): ENOSPC/);
  assert.match(r.stderr, /note: the limit in \/proc\/sys\/user\/max_net_namespaces is reached/);
});

test("ENOSPC: user namespaces nest at most 32 deep below the host's", () => {
  const r = runCode(`let depth = 0
try {
  for i in range(40) {
    unshare user map root
    depth = depth + 1
  }
} catch e { print "${"$"}{depth} ${"$"}{e.code}" }
unshare user`);
  assert.is(r.stdout, "33 ENOSPC\n");
  assert.is(r.status, 70);
  assert.match(r.stderr, /nest deeper than 32 levels \(kernels before 4\.9 said EUSERS/);
});

test("EINVAL: a pid namespace cannot nest under the session's", () => {
  const r = runCode(`unshare pid
unshare pid`);
  assert.is(r.status, 70);
  assert.match(r.stderr, /-e:2:1: error: unshare\(pid\): EINVAL/);
  assert.match(r.stderr, /note: a new pid namespace is a child of its creator's own pid namespace/);
  assert.match(r.stderr, /note: create it from the host's pid namespace/);
});

test("EINVAL: clone pid after joining a pid namespace, the same rule", () => {
  const r = runCode(`let p = clone pid "sleep 30" &
setns p
try { clone mnt, pid "true" } catch e { print e.code }
setns host pid
let r = clone pid capture "sh -c 'echo $$'"
print r.stdout
setns p pid
clone pid "true"`);
  assert.is(r.stdout, "EINVAL\n1\n\n");
  assert.match(r.stderr, /-e:8:1: error: unshare\(pid\): EINVAL/);
  assert.match(r.stderr, /pid namespace for children is already a different one/);
});

test("ERANGE: a time offset that would put the clock before boot", () => {
  const r = runCode(`clone time offset boottime -3155760000 "true"`);
  assert.is(r.status, 70);
  assert.match(r.stderr, /write on \/proc\/self\/timens_offsets: ERANGE/);
  assert.match(r.stderr, /note: a clock of a time namespace, offset included, must stay between 0/);
});

test("ESRCH: a pid whose process has exited and been reaped", () => {
  const r = runCode(`let p = spawn "true"
setns p.pid`);
  assert.is(r.status, 70);
  assert.match(r.stderr, /-e:2:7: error: no process \d+: it has exited/);
  assert.match(r.stderr, /note: a namespace lives on only while a process, an open file or a bind mount holds it/);
  assert.match(r.stderr, /note: namespaces\(\) lists the live ones/);
});

test("ESRCH: a process value that has exited cannot be joined", () => {
  const r = runCode(`let p = spawn "true"
setns p`);
  assert.is(r.status, 70);
  assert.match(r.stderr, /-e:2:7: error: process \d+ has exited/);
  assert.match(r.stderr, /note: a namespace lives on only while a process, an open file or a bind mount holds it/);
  assert.match(r.stderr, /note: namespaces\(\) lists the live ones/);
});

test.run();
