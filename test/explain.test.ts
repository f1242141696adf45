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

test("ESRCH: a process value that has exited cannot be joined", () => {
  const r = runCode(`let p = spawn "true"
setns p`);
  assert.is(r.status, 70);
  assert.match(r.stderr, /-e:2:7: error: process \d+ has exited/);
});

test.run();
