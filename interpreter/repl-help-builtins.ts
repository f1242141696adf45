// Help on the builtins, for `.help builtins` and `.help NAME`: how each is
// called and what it gives back, grouped by what it is for. Every line
// fits 80 columns.

import { wrap } from "./repl-help-errors.js";

interface Builtin {
  /** How it is called: `listen(PORT)`. */
  use: string;
  about: string;
  /** A line to try, shown by `.help NAME`. */
  example?: string;
}

type Group = [title: string, builtins: Record<string, Builtin>];

const GROUPS: Group[] = [
  ["Inspection", {
    ns: { use: "ns(TARGET)", about: "the namespaces of a pid, a process, " +
      "host or session; `ns p` prints them", example: "ns(p).net.id" },
    compare: { use: "compare(A, B)", about: "two sets side by side; " +
      ".shared and .isolated list kinds", example: "compare(host, p).isolated" },
    session: { use: "session()", about: "the session's namespaces" },
    namespaces: { use: "namespaces([KIND])", about: "every namespace on " +
      "the system, like lsns, also those only a mount or an fd keeps; " +
      "for and len go row by row",
    example: 'for r in namespaces("net") { print r.id, r.pid, r.command }' },
    tree: { use: "tree()", about: "user and pid namespaces as a tree, " +
      "with uid and gid maps and what each user namespace owns" },
    json: { use: "json(VALUE [, INDENT])", about: "any value as JSON",
      example: "print json(ns(host), 2)" },
  }],
  ["Network, in the session's network namespace", {
    link_up: { use: 'link_up(["lo"])', about: "sets a link up, " +
      "like ip link set lo up", example: 'unshare net { link_up("lo") }' },
    listen: { use: "listen(PORT)", about: "a TCP listener, like nc -l " +
      "PORT; its value is the process (p.kill() ends it)",
    example: "let server = listen(80)" },
    connect: { use: "connect(HOST, PORT)", about: "tries a TCP " +
      'connection: "connected", "refused", "unreachable" or "timeout"',
    example: 'connect("127.0.0.1", 80)' },
    veth: { use: "veth(A, B, TARGET)", about: "a veth pair: A here, B " +
      "in TARGET's network namespace, both up",
    example: 'veth("v0", "v1", holder)' },
    addr_add: { use: "addr_add(LINK, CIDR)", about: "an IPv4 address " +
      "on a link", example: 'addr_add("v0", "10.200.0.1/24")' },
    links: { use: "links()", about: "the links, as a list of names" },
  }],
  ["Mounts, after unshare mnt", {
    mount_proc: { use: 'mount_proc(["/proc"])', about: "a /proc of the " +
      "session's pid namespace" },
    mount_tmpfs: { use: "mount_tmpfs(PATH [, SIZE])", about: "a fresh " +
      'tmpfs; SIZE in bytes or as "16m"' },
    bind: { use: "bind(SRC, DST [, READONLY])", about: "a bind mount" },
    propagation: { use: "propagation(PATH, MODE [, RECURSIVE])",
      about: "private, slave, shared or unbindable" },
    remount: { use: 'remount(PATH, "ro")', about: 'read-only ("ro") or ' +
      'read-write ("rw")' },
    umount: { use: "umount(PATH)", about: "unmounts" },
  }],
  ["Keeping namespaces", {
    persist: { use: "persist(KIND, PATH)", about: "binds the session's " +
      "namespace of KIND to PATH, like unshare --net=PATH",
    example: 'persist("net", "/run/keep-net")' },
    release: { use: "release(PATH)", about: "undoes persist" },
    netns_add: { use: "netns_add(NAME)", about: "names the session's " +
      "network namespace in /run/netns; after unshare net, that is ip " +
      'netns add. setns "NAME" joins it',
    example: 'unshare net { netns_add("blue") }' },
    netns_del: { use: "netns_del(NAME)", about: "like ip netns del" },
  }],
  ["Processes", {
    wait: { use: "wait(P)", about: "waits for a background process; " +
      "its status" },
  }],
  ["Values", {
    print: { use: "print(VALUE, ...)", about: "prints, separated by " +
      "spaces" },
    len: { use: "len(X)", about: "the length of a string or a list" },
    str: { use: "str(X)", about: "X as a string" },
    num: { use: "num(S)", about: "a string read as a number" },
    type: { use: "type(X)", about: "the name of X's type" },
    range: { use: "range(N)", about: "[0, 1, ..., N-1]" },
    lines: { use: "lines(S)", about: "the non-empty lines of S" },
    split: { use: "split(S [, SEP])", about: "S cut at SEP (default: " +
      "at blanks)" },
    join: { use: "join(LIST [, SEP])", about: "the items, SEP between " +
      "(default a space)" },
    trim: { use: "trim(S)", about: "S without blanks around it" },
    env: { use: "env(NAME)", about: "nsrepl's environment variable, or " +
      "null" },
    exists: { use: "exists(PATH)", about: "whether PATH exists, as " +
      "nsrepl sees it" },
    read: { use: "read(PATH)", about: "a file's text, as nsrepl sees it" },
    sleep: { use: "sleep(SECONDS)", about: "waits" },
  }],
  ["Tutorials", {
    say: { use: 'say("...")', about: "narration, printed as prose" },
    step: { use: 'step("...")', about: "a section; --step pauses here" },
    raises: { use: "raises(FN, ARG...)", about: "the errno name (or " +
      "message) of the error FN raises, or null",
    example: "fn gone() { setns 99999 }; raises(gone)" },
    shares: { use: "shares(A, B, KIND)", about: "whether A and B are in " +
      "the same namespace of KIND" },
    isolated: { use: "isolated(A, B, KIND)", about: "the opposite of " +
      "shares" },
    nsrepl_command: { use: "nsrepl_command()", about: "the command line " +
      "that runs this nsrepl, as a list" },
  }],
];

const ALL: Record<string, Builtin> = Object.assign({},
  ...GROUPS.map(([, builtins]) => builtins));

/** Names with help of their own, for completion of `.help`. */
export const BUILTIN_TOPICS = Object.keys(ALL);

/** `.help NAME` for a builtin, or null when NAME is none. */
export function builtinHelp(name: string): string | null {
  const b = Object.hasOwn(ALL, name) ? ALL[name] : undefined;
  if (!b) return null;
  const lines = ["Usage:", ` ${b.use}`, "", ...wrap(b.about, "")];
  if (b.example) lines.push("", ` ${b.example}`);
  return lines.join("\n");
}

/** `.help builtins`: each group, then functions the session declared. */
export function builtinsHelp(names: string[]): string {
  const out = ["Functions, called as f(x) or, alone on a line, as f x;",
    ".help NAME says more about one."];
  for (const [title, builtins] of GROUPS) {
    out.push("", `${title}:`);
    for (const b of Object.values(builtins)) out.push(...row(b));
  }
  const yours = names.filter((n) => !Object.hasOwn(ALL, n)).sort();
  if (yours.length) out.push("", "Declared here:", ...wrap(yours.join(" "), " "));
  return out.join("\n");
}

// The call, then what it does; a long call gets a line of its own.
function row(b: Builtin): string[] {
  const width = 26;
  if (b.use.length >= width - 1) {
    return [` ${b.use}`, ...wrap(b.about, " ".repeat(width + 1))];
  }
  const [first, ...rest] = wrap(b.about, " ".repeat(width + 1));
  return [` ${b.use.padEnd(width)}${first.trimStart()}`, ...rest];
}
