// The kernel rules behind the errors a namespace user meets, each with what
// to do. Matched on the operation's base name (`setns(net)` → setns), the
// errno name, and optionally the namespace kind, the object or the whole
// operation (`unshare(mnt,pid)`).

import type { KindName } from "./kinds.js";
import { errnoName } from "./errno.js";
import { NET_MOUNT_RULES } from "./explain-net.js";

/** The rule behind an error, and what to do about it. */
export interface Explanation { rule: string; hint: string }

/** What explain() may use besides the operation and the errno. */
export interface ExplainContext {
  kind?: KindName;
  /** The path or description the operation was applied to. */
  object?: string;
}

/** A kernel rule, matched on operation, errno name, and `when`. */
export interface Rule {
  op: string[];
  code: string[];
  when?: (kind: string, object: string, op: string) => boolean;
  rule: (kind: string) => string;
  hint: (kind: string) => string;
}

const idMap = (o: string) => /(uid_map|gid_map)/.test(o);
const isProc = (o: string) => /(^|\s)proc\b|\/proc$/.test(o);
const makesPid = (op: string) => /\(([a-z]+,)*pid(,[a-z]+)*\)/.test(op);

// Most specific rules first: the first match wins.
const RULES: Rule[] = [
  ...NET_MOUNT_RULES,
  { op: ["setns"], code: ["EINVAL"], when: (k) => k === "user",
    rule: () => "a process cannot setns into the user namespace it is " +
      "already in, and a multithreaded process cannot change its user " +
      "namespace at all",
    hint: () => "leave user out of the join when it is already the " +
      "current one; only a fresh single-threaded process may enter it" },
  { op: ["setns"], code: ["EINVAL"], when: (k) => k === "pid",
    rule: () => "a process may only join its own pid namespace or one " +
      "of its descendants, never an ancestor or a sibling",
    hint: () => "join from a process in an ancestor pid namespace " +
      "(`setns host` first)" },
  { op: ["setns"], code: ["EPERM"],
    rule: () => "joining a namespace needs CAP_SYS_ADMIN in the user " +
      "namespace that owns it (and in your own); a process that is not " +
      "in that user namespace, or has no capability over it, may not join",
    hint: () => "join the owning user namespace first (user is always " +
      "joined first), or run as root" },
  { op: ["setns"], code: ["EUSERS"], when: (k) => k === "time",
    rule: () => "a multithreaded process cannot join a time namespace",
    hint: () => "let a fresh process join it" },
  { op: ["fork", "clone"], code: ["ENOMEM"],
    when: (k, o) => k === "pid" || /pid/.test(o),
    rule: () => "the pid namespace's init (PID 1) has exited, so the " +
      "kernel accepts no new processes in it",
    hint: () => "start over with `unshare pid` or `setns host`" },
  { op: ["unshare", "clone"], code: ["ENOSPC", "EUSERS"],
    rule: (k) => `the limit in /proc/sys/user/max_${k || "user"}` +
      "_namespaces is reached (it counts per user, in this user namespace " +
      "and every one above it), or user or pid namespaces would nest " +
      "deeper than 32 levels (kernels before 4.9 said EUSERS for that)",
    hint: (k) => "end namespaces no longer in use, or raise the limit: " +
      `sysctl user.max_${k || "user"}_namespaces=N` },
  { op: ["unshare", "clone"], code: ["EPERM"], when: (k) => k === "user",
    rule: () => "creating a user namespace is refused: unprivileged user " +
      "namespaces are disabled here, or the caller is in a chroot",
    hint: () => "enable them (sysctl kernel.unprivileged_userns_clone=1 " +
      "or the distribution's equivalent), or run as root" },
  { op: ["unshare", "clone"], code: ["EPERM"],
    rule: () => "creating any namespace but user needs CAP_SYS_ADMIN in " +
      "the current user namespace",
    hint: (k) => "add user to the kinds, with map root, to be root in " +
      `the new namespaces: \`unshare user, ${k || "net"} map root\` ` +
      "(rootless); or run as root" },
  { op: ["unshare"], code: ["EINVAL"], when: (_k, _o, op) => makesPid(op),
    rule: () => "a new pid namespace is a child of its creator's own pid " +
      "namespace, so unshare(CLONE_NEWPID) fails while the caller's pid " +
      "namespace for children is already a different one (after " +
      "setns(pid) or an earlier unshare(pid)); nsrepl's process enters " +
      "the session's pid namespace only that way, so none can be nested " +
      "under it",
    hint: () => "create it from the host's pid namespace (`setns host " +
      "pid`, or `setns host pid { ... }` for a block); to nest, run a " +
      "program in the session's pid namespace that makes one itself" },
  { op: ["unshare"], code: ["EINVAL"], when: (k) => k === "user",
    rule: () => "a multithreaded process cannot create a user namespace",
    hint: () => "let a fresh single-threaded process create it" },
  { op: ["mount"], code: ["EPERM"], when: (_k, o) => isProc(o),
    rule: () => "mounting proc needs CAP_SYS_ADMIN in the user namespace " +
      "that owns the mounting process's pid namespace; a process that " +
      "does not own its pid namespace cannot mount a fresh /proc",
    hint: () => "create pid and mnt together (and user when rootless), " +
      "so that PID 1 mounts /proc for its own namespace" },
  { op: ["mount"], code: ["EPERM"],
    rule: () => "mounting needs CAP_SYS_ADMIN in the user namespace that " +
      "owns the mount namespace, and mounts inherited from a more " +
      "privileged namespace are locked",
    hint: () => "create a mount namespace (with user when rootless)" },
  { op: ["mount"], code: ["EINVAL"],
    rule: () => "the target is not a mount point, or a namespace file " +
      "is being persisted on a shared mount",
    hint: () => "check the target; make the directory a private mount " +
      "before binding namespace files onto it" },
  { op: ["umount"], code: ["EBUSY"],
    rule: () => "the mount is in use: a process has open files, its cwd " +
      "or root there, or other mounts sit on top of it",
    hint: () => "unmount the mounts below first, leave the directory, or " +
      "detach lazily (MNT_DETACH)" },
  { op: ["write", "open"], code: ["EPERM"], when: (_k, o) => idMap(o),
    rule: () => "a map may be written only by a process in the parent " +
      "user namespace (or the namespace itself), and only with ids mapped " +
      "there; without CAP_SETUID (CAP_SETGID) in the parent it may only " +
      "map its own effective id, count 1, and gid_map only after " +
      "setgroups is denied",
    hint: () => "map a single id (inside 0, outside your uid, count 1) " +
      "with setgroups deny, or write the map as root in the parent" },
  { op: ["write"], code: ["EINVAL"], when: (_k, o) => idMap(o),
    rule: () => "a map is written once, in a single write of at most 340 " +
      "lines; its ranges may not overlap and counts must be positive",
    hint: () => "check the inside/outside/count triples for overlaps" },
  { op: ["write"], code: ["EPERM"], when: (_k, o) => /setgroups/.test(o),
    rule: () => "setgroups cannot be changed once gid_map is written, " +
      "nor set to allow in a namespace whose parent denies it",
    hint: () => "write setgroups before gid_map" },
  { op: ["execve"], code: ["ENOENT"],
    rule: () => "no such program: the name is not in any PATH directory " +
      "as seen inside the process's mount namespace (status 127)",
    hint: () => "check the name, PATH, and what is mounted inside" },
  { op: ["execve"], code: ["EACCES"],
    rule: () => "the file is not executable, a directory on its path is " +
      "not searchable, or it sits on a noexec mount (status 126)",
    hint: () => "chmod +x it, or check the mount options" },
  { op: ["execve"], code: ["ENOEXEC"],
    rule: () => "the file is neither a binary for this machine nor a " +
      "script starting with #! (status 126)",
    hint: () => "add a #! line, or run it through an interpreter" },
  { op: ["kill", "pidfd_send_signal", "pidfd_open", "open"],
    code: ["ESRCH"],
    rule: () => "the process has already ended and been reaped",
    hint: () => "nothing is left to signal or inspect" },
  { op: ["open", "stat"], code: ["ENOENT"],
    when: (_k, o) => /_for_children/.test(o),
    rule: () => "a new pid namespace has no pid_for_children file until " +
      "its init exists, and kernels before 6.11 offer no other handle " +
      "on it (or the process has exited)",
    hint: () => "start a process in it first, or use Linux 6.11 or later" },
  { op: ["write"], code: ["ERANGE"], when: (_k, o) => /timens_offsets/.test(o),
    rule: () => "a clock of a time namespace, offset included, must stay " +
      "between 0 and about 146 years: a negative offset may not set it " +
      "back to before boot",
    hint: () => "give an offset no more negative than the seconds since " +
      "boot (/proc/uptime)" },
  { op: ["write"], code: ["EACCES"], when: (_k, o) => /timens_offsets/.test(o),
    rule: () => "a time namespace's offsets are fixed once a process has " +
      "entered it",
    hint: () => "give the offsets with the statement that creates the " +
      "namespace: `clone time offset ...` or `unshare time offset ...`" },
  { op: ["chroot"], code: ["EPERM"],
    rule: () => "chroot needs CAP_SYS_CHROOT in the process's user " +
      "namespace",
    hint: () => "create a user namespace for the process (`clone user map " +
      "root root \"DIR\" ...`), or run as root" },
  { op: ["sethostname"], code: ["EPERM"],
    rule: () => "changing the hostname needs CAP_SYS_ADMIN in the user " +
      "namespace that owns the uts namespace",
    hint: () => "create uts (and user when rootless)" },
];

/** The kernel rule behind `errno` from `op`, and what to do, if known. */
export function explain(op: string, errno: number,
  context: ExplainContext = {}): Explanation | null {
  const base = op.replace(/\(.*$/, "");
  const kind = context.kind ?? op.match(/\((\w+)\)/)?.[1] ?? "";
  const object = context.object ?? "";
  const code = errnoName(errno);
  const found = RULES.find((r) => r.op.includes(base) &&
    r.code.includes(code) && (!r.when || r.when(kind, object, op)));
  return found ? { rule: found.rule(kind), hint: found.hint(kind) } : null;
}
