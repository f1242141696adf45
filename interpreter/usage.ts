// The --help text, kept within 80 columns like util-linux's.

export const VERSION = "0.1.0";

export const HELP = `Usage:
 nsrepl [options] [FILE.ns [ARG...]]
 nsrepl -e CODE [ARG...]

A scripting language and REPL for Linux namespaces. clone, unshare, setns
and spawn are carried out as real system calls.

With no FILE, read statements interactively when standard input is a
terminal, otherwise read a script from standard input ("-" also does).

Options:
 -e, --eval CODE    run CODE and exit
 -t, --trace        print each system call as it is made, like strace
 -h, --help         display this help and exit
 -V, --version      display the version and exit

Statements:
 spawn CMD [&]                   run a program in the session's namespaces
 clone KINDS [OPTIONS] [CMD] [&] run a program in fresh namespaces
 unshare KINDS [OPTIONS] [{...}] give the session fresh namespaces
 setns TARGET [KINDS] [{...}]    join the namespaces of TARGET
 ns TARGET, compare A, B         show namespaces, side by side

Kinds: user mnt pid net uts ipc cgroup time (mount = mnt, all = every kind)
Options: map root, map user, map IN OUT COUNT, mount proc, hostname NAME,
 propagation private|slave|shared|unchanged, setgroups allow|deny,
 capture, cwd DIR

Exit status: 0 ok, 1 an expect failed, 64 usage, 65 syntax error,
70 runtime error.

Example:
 nsrepl -e 'clone pid, mnt mount proc "ps aux"'
`;
