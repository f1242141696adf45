// The mount helpers against the real kernel. Each acts in the session's
// mount namespace after `unshare mnt`; every test also checks, from the
// host's side, that nothing it mounted shows up there.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { chmodSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { runCode, runCodeAsNobody, failed, ok } from "./helpers/cli.js";


const hostMounts = () => readFileSync("/proc/self/mountinfo", "utf8");

/** A directory nobody may look into, removed with what is in it. */
function withDir(body: (dir: string) => void): void {
  const dir = mkdtempSync("/tmp/nsrepl-mounts-");
  chmodSync(dir, 0o755);
  try {
    body(dir);
    assert.not.match(hostMounts(), dir, "nothing leaked into the host");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Counts the mounts under `dir` inside the session, then from the host's
// mount namespace while the session's mounts still exist.
const countInsideAndOut = (dir: string) => `
spawn "sh -c 'grep -c ${dir} /proc/self/mountinfo || true'"
setns host
spawn "sh -c 'grep -c ${dir} /proc/self/mountinfo || true'"`;

test("in the host's mount namespace every mount helper refuses", () => {
  const calls = [`mount_proc()`, `mount_tmpfs("/tmp")`, `bind("/a", "/b")`,
    `propagation("/", "private")`, `remount("/", "ro")`, `umount("/tmp")`];
  for (const call of calls) {
    const err = failed(runCode(call));
    assert.match(err, "unshare mnt first:", call);
    assert.match(err, "would change the host's mounts", call);
  }
});

test("mount_tmpfs shows inside the session, never in the host", () => {
  withDir((dir) => {
    const out = ok(runCode(`unshare mnt
print mount_tmpfs("${dir}", "1m")
spawn "sh -c 'echo x > ${dir}/f && grep ${dir} /proc/self/mountinfo'"
${countInsideAndOut(dir)}`)).split("\n");
    assert.is(out[0], "true");
    assert.match(out[1], /tmpfs .*size=1024k/);
    assert.equal(out.slice(2), ["1", "0"]);
  });
});

test("bind read-only: writes fail with EROFS; remount rw makes it writable", () => {
  withDir((dir) => {
    const out = ok(runCode(`unshare mnt
mount_tmpfs("${dir}")
spawn "mkdir ${dir}/a ${dir}/b"
bind("${dir}/a", "${dir}/b", true)
let r = spawn capture "sh -c 'touch ${dir}/b/x 2>&1'"
print trim(r.stdout)
remount("${dir}/b", "rw")
spawn "touch ${dir}/b/x"
spawn "ls ${dir}/a"
${countInsideAndOut(dir)}`)).split("\n");
    assert.match(out[0], "Read-only file system");
    assert.equal(out.slice(1), ["x", "2", "0"]);
  });
});

test("remount ro changes the session's mount only, not the host's filesystem", () => {
  withDir((dir) => {
    const out = ok(runCode(`unshare mnt
remount("/", "ro")
let r = spawn capture "sh -c 'touch ${dir}/inside 2>&1'"
print trim(r.stdout)
setns host
spawn "touch ${dir}/outside"
spawn "ls ${dir}"`)).split("\n");
    assert.match(out[0], "Read-only file system");
    assert.equal(out.slice(1), ["outside"]);
  });
});

test("propagation sets the type that mountinfo shows", () => {
  withDir((dir) => {
    const out = ok(runCode(`unshare mnt
mount_tmpfs("${dir}")
propagation("${dir}", "shared")
spawn "sh -c 'grep ${dir} /proc/self/mountinfo | grep -c shared:'"
propagation("${dir}", "private", true)
spawn "sh -c 'grep ${dir} /proc/self/mountinfo | grep -c shared: || true'"
try { propagation("${dir}", "sideways") } catch e { print e }`)).split("\n");
    assert.equal(out.slice(0, 2), ["1", "0"]);
    assert.match(out[2], "'sideways' is not a propagation type");
  });
});

test("umount of a busy mount: EBUSY with the rule; once free, it goes", () => {
  withDir((dir) => {
    const r = runCode(`unshare mnt
mount_tmpfs("${dir}")
let p = spawn cwd "${dir}" "sleep 30" &
try { umount("${dir}") } catch e { print e.code }
p.kill()
wait(p)
print umount("${dir}")
spawn "sh -c 'grep -c ${dir} /proc/self/mountinfo || true'"
umount("${dir}")`);
    assert.equal(r.stdout.trim().split("\n"), ["EBUSY", "true", "0"]);
    assert.match(failed(r), "umount on " + dir + ": EINVAL");
    assert.match(r.stderr, "note: the path is not a mount point");
  });
});

test("the busy umount's error carries the kernel rule", () => {
  withDir((dir) => {
    const err = failed(runCode(`unshare mnt
mount_tmpfs("${dir}")
let p = spawn cwd "${dir}" "sleep 30" &
umount("${dir}")`));
    assert.match(err, `umount on ${dir}: EBUSY (Device or resource busy)`);
    assert.match(err, "note: the mount is in use");
  });
});

test("mount_proc shows the session's pid namespace, whose init is PID 1", () => {
  const out = ok(runCode(`unshare pid, mnt
let init = spawn "sleep 30" &
mount_proc()
spawn "cat /proc/1/comm"
spawn "sh -c 'ls /proc | grep -c ^[0-9]'"`)).split("\n");
  assert.is(out[0], "sleep");
  assert.ok(Number(out[1]) <= 4, `init, sh, ls and grep; saw ${out[1]}`);
});

test("rootless: mount_proc inside user, pid and mnt of nobody's", () => {
  const out = ok(runCodeAsNobody(`unshare user map root
unshare pid, mnt
let init = spawn "sleep 30" &
mount_proc()
spawn "cat /proc/1/comm"`));
  assert.is(out, "sleep");
});

test("mount_proc refuses a pid namespace that has no process yet", () => {
  const err = failed(runCode(`unshare pid, mnt\nmount_proc()`));
  assert.match(err, "the session's pid namespace has no process yet");
  assert.match(err, "unshare pid, mnt mount proc");
});

test("a missing mount point: ENOENT with what to do", () => {
  const err = failed(runCode(`unshare mnt
mount_tmpfs("/tmp/nsrepl-no-such-dir-${process.pid}")`));
  assert.match(err, "ENOENT");
  assert.match(err, "note: create it first");
});

test("rootless: tmpfs, read-only bind and umount inside user and mnt", () => {
  withDir((dir) => {
    const out = ok(runCodeAsNobody(`unshare user map root
unshare mnt
mount_tmpfs("${dir}", "1m")
spawn "mkdir ${dir}/a ${dir}/b"
bind("${dir}/a", "${dir}/b", true)
let r = spawn capture "sh -c 'touch ${dir}/b/x 2>&1'"
print trim(r.stdout)
umount("${dir}/b")
${countInsideAndOut(dir)}`)).split("\n");
    assert.match(out[0], "Read-only file system");
    assert.equal(out.slice(1), ["1", "0"]);
  });
});

test("rootless: mounting proc for a pid namespace it does not own is EPERM, explained", () => {
  withDir((dir) => {
    const err = failed(runCodeAsNobody(`unshare user map root
unshare mnt
mount_proc("${dir}")`));
    assert.match(err, `mount on proc at ${dir}: EPERM`);
    assert.match(err, "note: mounting proc needs CAP_SYS_ADMIN");
  });
});

test.run();
