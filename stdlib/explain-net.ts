// The kernel rules behind errors of the network, mount and persist
// builtins. explain.ts consults these before its general rules, so each
// carries a `when` that keeps it to its own case.

import type { Rule } from "./explain.js";

const persisting = (o: string) => /\(bind of [a-z]+:\[\d+\]\)/.test(o);
const onMount = (o: string) => /\((make \w+|remount \w+)\)$/.test(o);
const isLink = (o: string) => /link '|veth pair|every link/.test(o);

export const NET_MOUNT_RULES: Rule[] = [
  { op: ["mount"], code: ["EINVAL"], when: (_k, o) => /bind of mnt:\[/.test(o),
    rule: () => "a mount namespace file is never copied into other mount " +
      "namespaces: binding one onto a shared mount that has peers (or " +
      "slaves) to propagate to is refused, and so is binding one inside " +
      "a mount namespace not older than it, which could make it hold itself",
    hint: () => "persist it on a file under a private mount (`mount " +
      "--bind DIR DIR && mount --make-private DIR`, or a directory that " +
      "`findmnt -o TARGET,PROPAGATION` shows as private)" },
  { op: ["mount"], code: ["EPERM", "EACCES"], when: (_k, o) => persisting(o),
    rule: () => "persisting binds the namespace file into nsrepl's own " +
      "mount namespace, which needs CAP_SYS_ADMIN in the user namespace " +
      "that owns it; an unprivileged nsrepl has none over the host's mounts",
    hint: () => "run nsrepl as root; without root a namespace lives as " +
      "long as a process or an open handle holds it" },
  { op: ["mount"], code: ["EINVAL"], when: (_k, o) => onMount(o),
    rule: () => "propagation types and remount apply to a mount point, " +
      "not to a directory inside a mount",
    hint: () => "give the mount point itself, or bind the directory onto " +
      "itself first: bind(dir, dir)" },
  { op: ["mount"], code: ["ENOENT", "ENOTDIR"],
    rule: () => "the mount point (or the source) does not exist as seen " +
      "inside the session's mount namespace, or is not a directory",
    hint: () => "create it first, say spawn \"mkdir -p DIR\"" },
  { op: ["umount"], code: ["EINVAL"],
    rule: () => "the path is not a mount point, or the mount is locked: " +
      "in a user namespace a mount inherited from a more privileged one " +
      "cannot be taken away from what it covers",
    hint: () => "give the mount point itself; only mounts made inside the " +
      "session can be unmounted there" },
  { op: ["mkdir", "open"], code: ["EACCES", "EPERM", "EROFS"],
    when: (_k, o) => o.startsWith("/run/netns"),
    rule: () => "/run/netns belongs to root, as does making it a shared " +
      "mount",
    hint: () => "run nsrepl as root to add a network namespace name" },
  { op: ["RTM_NEWLINK"], code: ["EEXIST"],
    rule: () => "link names are unique within a network namespace; the " +
      "peer's name must also be free in the namespace it is created in",
    hint: () => "pick other names, or end the namespace holding the old " +
      "link (a veth pair goes when either end's namespace goes)" },
  { op: ["RTM_NEWADDR"], code: ["EEXIST"],
    rule: () => "the link already has that address",
    hint: () => "nothing to do, or pick another address" },
  { op: ["RTM_NEWLINK", "RTM_NEWADDR", "RTM_GETLINK", "ioctl"],
    code: ["EPERM", "EACCES"], when: (_k, o) => isLink(o),
    rule: () => "changing links and addresses needs CAP_NET_ADMIN in the " +
      "user namespace that owns the network namespace, and a veth end " +
      "created in another namespace needs it there too",
    hint: () => "create net together with user (rootless), and put veth " +
      "ends only in namespaces that your user namespace owns" },
  { op: ["RTM_NEWLINK"], code: ["EOPNOTSUPP"],
    rule: () => "the kernel has no veth driver loaded, and only root in " +
      "the initial user namespace may load a module",
    hint: () => "load it as root: modprobe veth" },
  { op: ["if_nametoindex", "ioctl"], code: ["ENODEV", "ENXIO"],
    when: (_k, o) => isLink(o),
    rule: () => "no link has that name in the session's network " +
      "namespace: each has links of its own, and a new one only lo",
    hint: () => "list them with links(); make a pair with veth()" },
];
