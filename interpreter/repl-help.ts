// Help shown by `.help` in the REPL, by topic.

const TOPICS: Record<string, string> = {
  spawn: `spawn [capture] [cwd DIR] CMD [&]
  Runs CMD in the session's namespaces. Without & it waits, and its value
  is the finished process (p.status, p.stdout with capture).`,
  clone: `clone KINDS [OPTIONS] [CMD] [&]
  Runs CMD in fresh namespaces of KINDS, made inside the session's.
  Without CMD, starts a holder that keeps the namespaces alive.
  clone pid, mnt mount proc "ps aux"     ps is PID 1 with its own /proc
  clone user map root "id -u"            prints 0`,
  unshare: `unshare KINDS [OPTIONS] [{ ... }]
  Gives the session fresh namespaces; with a block, only for the block.
  unshare pid affects the next process started: it becomes PID 1.`,
  setns: `setns TARGET [KINDS] [{ ... }]
  Joins the namespaces of TARGET: a pid, a process, a namespace file,
  a /run/netns name, or host (back to where nsrepl started).`,
  ns: `ns TARGET        the namespaces of a pid, process, host or "session"
compare A, B     two sets side by side, each kind shared or isolated`,
};

/** The help text for `topic`, or the overview. */
export function helpText(topic?: string): string {
  if (topic && TOPICS[topic]) return TOPICS[topic];
  return `Statements: spawn, clone, unshare, setns; ns and compare inspect.
Kinds: user mnt pid net uts ipc cgroup time (all = every kind).
Options: map root, mount proc, hostname NAME, propagation MODE, capture.
Builtins: print len str num range lines split join trim env exists read
          sleep wait ns compare session listen connect link_up
REPL: .help TOPIC (spawn, clone, unshare, setns, ns), .exit
The prompt lists the kinds in which the session differs from host.`;
}
