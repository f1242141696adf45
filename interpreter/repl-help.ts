// Help shown by `.help` in the REPL, by topic, util-linux style: a usage
// line, what it does, then the details; every line fits 80 columns.

import { KINDS } from "../stdlib/kinds.js";
import { errorsHelp, wrap } from "./repl-help-errors.js";
import { BUILTIN_TOPICS, builtinHelp } from "./repl-help-builtins.js";

export { builtinsHelp } from "./repl-help-builtins.js";

const OVERVIEW = `Usage:
 STATEMENT            a statement; an open { [ ( or string goes on
                      to the next line, after a ... prompt
 .COMMAND [ARG]       a REPL command (.help commands)

Statements:
 spawn CMD            run a program in the session's namespaces
 clone KINDS [CMD]    run it in fresh namespaces of KINDS
 unshare KINDS        give the session fresh namespaces
 setns TARGET         join the namespaces of a process, a file or host
 ns TARGET            show the namespaces of a process, host or session
 compare A, B         show two sets side by side: shared or isolated

To start:
 clone pid, mnt mount proc "ps aux"   ps is PID 1, alone in its /proc
 unshare net                          then spawn "ip link": only lo
 compare host, 1234                   what process 1234 shares with you

Topics, as .help TOPIC:
 spawn clone unshare setns ns compare kinds options values errors keys
 commands builtins, and each builtin by name: .help listen

The prompt lists the kinds in which the session differs from host, as
in 'nsrepl [net pid]>'.`;

const TOPICS: Record<string, string> = {
  spawn: `Usage:
 spawn [capture] [root DIR] [cwd DIR] CMD [&]

Runs CMD in the session's namespaces. Without & it waits, and the
terminal is the program's until it ends: Ctrl-C and Ctrl-Z go to it.
Its value is the process: p.status, p.stdout (with capture), p.pid.

 spawn "ps aux"                 wait for it
 let p = spawn "sleep 60" &     in the background; p.kill() ends it
 let r = spawn capture "hostname"
 print r.stdout`,
  clone: `Usage:
 clone KINDS [OPTIONS] [CMD] [&]

Runs CMD in fresh namespaces of KINDS, made inside the session's. With
no CMD it starts a holder: a process that only keeps the namespaces
alive, until the session ends or it is killed.

 clone pid, mnt mount proc "ps aux"   ps is PID 1, with its own /proc
 clone user map root "id -u"          prints 0, without being root
 let h = clone net                    a network namespace to join later

The first process in a new pid namespace is its init: it ignores
signals it has no handler for, so Ctrl-C does not end 'sleep' there.
nsrepl says so, and Ctrl-C pressed again sends it SIGKILL.
See also: .help options, .help kinds`,
  unshare: `Usage:
 unshare KINDS [OPTIONS] [{ ... }]

Gives the session fresh namespaces: every later statement runs in them.
With a block, only the block does. The prompt shows what changed.

 unshare net                    the session loses the host's network
 unshare uts { spawn "hostname box" }

unshare pid changes where the next process goes, not the session: that
process is PID 1, and once it exits the namespace takes no more. ps
reads /proc, which shows the old pid namespace until one is mounted
for the new: unshare pid, mnt mount proc.`,
  setns: `Usage:
 setns TARGET [KINDS] [mount proc] [root DIR] [cwd DIR] [{ ... }]

Joins the namespaces of TARGET: a pid, a process value, a namespace
file (/proc/PID/ns/net), a name in /run/netns, or host (back to where
nsrepl started). Without KINDS, every kind in which TARGET differs.
mount proc gives the session a private copy of the mount namespace
with /proc of the joined pid namespace; root and cwd are where later
programs start (chroot, then chdir), like nsenter --root and --wd.
To find a container's process: namespaces() lists who holds each
namespace, and Tab twice after setns lists the processes in other
namespaces, each with its command.

 setns 1234 net, uts
 setns "blue"                   /run/netns/blue
 setns p mount proc             ps shows p's pid namespace
 setns p root "/srv/box" cwd "/home"
 setns host`,
  ns: `Usage:
 ns TARGET

Shows the eight namespaces of TARGET, as /proc/PID/ns names them: a
pid, a process value, host, or session. ns(TARGET) is the value.

 ns 4242                        the header names its program
 ns session                     what the session's programs get`,
  compare: `Usage:
 compare A, B

Shows two sets of namespaces side by side, each kind shared or
isolated. compare(A, B) is the value: .shared and .isolated list kinds.`,
  kinds: kindsHelp(),
  options: `Options, after the kinds of clone and unshare:
 map root               you are uid 0 inside (a new user namespace)
 map user               you keep your own uid and gid inside
 map INSIDE OUTSIDE COUNT
 uidmap I O C, gidmap I O C      one map only
 setgroups allow|deny   deny lets an unprivileged user write gid_map
 mount proc             a fresh /proc (needs pid and mnt)
 propagation private|slave|shared|unchanged
                        for the new mount namespace; private by default
 hostname "NAME"        in the new uts namespace
 offset monotonic|boottime SECONDS
                        the new time namespace's clock runs ahead
                        (or behind, -SECONDS): /proc/uptime inside

For a program (spawn and clone), and for the session with setns:
 root "DIR"             chroot to DIR first (like nsenter --root)
 cwd "DIR"              start in DIR (inside the root)
 capture                keep standard output in p.stdout (not setns)
 &                      run in the background (not setns)
 mount proc             with setns: /proc of the joined pid namespace`,
  values: `Values:
 numbers, "strings" with \${expressions}, 'raw strings', [lists],
 true, false, null, functions (fn name(a) { ... })

 process     p.pid p.status p.signal p.running p.stdout p.ns p.command
             p.wait() p.kill("SIGTERM")
 namespaces  ns(p).net, one per kind (each: .id .kind .inode); .label,
             .process (the pid it was read from), .json
 comparison  compare(a, b).shared, .isolated, .left, .right, .json
 error       in catch e: e.message, e.code (the errno name), e.line

Tab after a dot lists what a value has.`,
  errors: errorsHelp(),
  keys: `Keys:
 Tab            complete: keywords, kinds, options, variables, members
                after a dot, targets after setns or ns, /run/netns names,
                programs and paths in strings; twice to list them all
 Up, Down       history; with text typed, only entries starting with it
 Ctrl-R         search the history as you type; Ctrl-R again: older
                match; Enter runs it, Ctrl-G gives the line back
 Ctrl-C         drop the line (at the prompt); end the program (while
                one runs: it has the terminal, nsrepl does not get it);
                at a pid namespace's init that drops it, twice: SIGKILL
 Ctrl-Z         stop the program that runs; .fg continues it
 Ctrl-D         leave: every process and namespace of the session ends

History is kept in $NSREPL_HISTORY, or $XDG_STATE_HOME/nsrepl/history,
or ~/.local/state/nsrepl/history (mode 0600). A line typed with a
leading space is not saved there.`,
};

function kindsHelp(): string {
  const lines = KINDS.map((k) => ` ${k.name.padEnd(8)}${k.isolates}`);
  return `Kinds:\n${lines.join("\n")}
 mount    the same as mnt
 all      every kind

Give several with commas: clone pid, mnt, net. user always comes first
when nsrepl creates or joins, since it grants what the others need.`;
}

/** Topics whose text the REPL makes when asked: they change. */
export type LiveTopics = Record<"commands" | "builtins", string>;

const TOPIC_NAMES = [...Object.keys(TOPICS), "commands", "builtins"];

/** Names of the help topics and the builtins, for completion. */
export const HELP_TOPICS = [...new Set([...TOPIC_NAMES, ...BUILTIN_TOPICS])];

/** The help text for `topic`, or the overview. */
export function helpText(topic?: string, live?: LiveTopics): string {
  if (!topic) return OVERVIEW;
  if (live && (topic === "commands" || topic === "builtins")) {
    return live[topic];
  }
  if (Object.hasOwn(TOPICS, topic)) return TOPICS[topic];
  const none = `no help on '${topic}': try ${TOPIC_NAMES.join(", ")}, ` +
    "or a builtin's name (.help builtins)";
  return builtinHelp(topic) ?? wrap(none, "").join("\n");
}
