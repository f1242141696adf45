// Syscall errors: the errno table against glibc, the message format, and
// the kernel rules nsrepl explains.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { explain, SyscallError } from "../../stdlib/errors.js";
import { errnoName, errnoNumber, errnoText, MAX_ERRNO } from
  "../../stdlib/errno.js";
import { strerror } from "../../stdlib/libc.js";

const test = suite("errors");

test("the errno table has glibc's text for every number up to 133", () => {
  assert.is(MAX_ERRNO, 133);
  for (let n = 1; n <= MAX_ERRNO; n++) {
    assert.is(errnoText(n), strerror(n), `errno ${n}`);
  }
});

test("errno names follow the x86-64 numbering", () => {
  const expected: Record<string, number> = {
    EPERM: 1, ENOENT: 2, ESRCH: 3, EINTR: 4, EBADF: 9, ECHILD: 10,
    EAGAIN: 11, ENOMEM: 12, EACCES: 13, EBUSY: 16, EEXIST: 17,
    EINVAL: 22, EMFILE: 24, ENOSPC: 28, EPIPE: 32, ENAMETOOLONG: 36,
    ENOSYS: 38, ELOOP: 40, EUSERS: 87, EOPNOTSUPP: 95, ETIMEDOUT: 110,
  };
  for (const [name, n] of Object.entries(expected)) {
    assert.is(errnoName(n), name);
    assert.is(errnoNumber(name), n);
  }
  assert.is(errnoName(999), "E999");
});

test("a message names the operation, the object, the errno and its text",
  () => {
    const e = new SyscallError("setns(net)", "/proc/1234/ns/net", 1, "net");
    assert.is(e.message,
      "setns(net) on /proc/1234/ns/net: EPERM (Operation not permitted)");
    assert.is(e.code, "EPERM");
    assert.is(e.text, "Operation not permitted");
    assert.ok(e.rule?.includes("CAP_SYS_ADMIN"));
    assert.ok(e.hint);
    assert.instance(e, Error);
  });

test("an object with its own preposition reads on without 'on'", () => {
  const e = new SyscallError("fork", "into pid namespace pid:[42]", 12);
  assert.is(e.message,
    "fork into pid namespace pid:[42]: ENOMEM (Cannot allocate memory)");
  assert.match(e.rule!, /init \(PID 1\) has exited/);
  assert.match(e.hint!, /unshare pid.*setns host/);
});

const rules: [string, number, string | undefined, RegExp][] = [
  ["setns(user)", 22, undefined, /already in/],
  ["setns(net)", 1, "/proc/9/ns/net", /owns it/],
  ["fork", 12, "into pid namespace pid:[1]", /init \(PID 1\) has exited/],
  ["mount(proc)", 1, "/proc", /owns the mounting process's pid namespace/],
  ["unshare", 28, undefined, /max_user_namespaces/],
  ["clone", 87, undefined, /deeper than 32/],
  ["write", 22, "/proc/7/uid_map", /written once/],
  ["write", 1, "/proc/7/gid_map", /own effective id/],
  ["execve", 2, "foo", /status 127/],
  ["execve", 13, "foo", /not executable/],
  ["kill", 3, "pid 7", /already ended/],
  ["umount", 16, "/mnt", /in use/],
];

test("explain gives the kernel rule for the errors users meet", () => {
  for (const [op, errno, object, rule] of rules) {
    const why = explain(op, errno, { object });
    assert.ok(why, `${op} ${errnoName(errno)} has a rule`);
    assert.match(why!.rule, rule);
    assert.ok(why!.hint.length > 0);
  }
});

test("explain knows nothing about errors without a rule", () => {
  assert.is(explain("read", 9), null);
  assert.is(new SyscallError("read", "fd 9", 9).rule, null);
});

test.run();
