// The --help text, kept within 80 columns like util-linux's.

export const VERSION = "0.1.0";

export const HELP = `Usage:
 nsrepl [options] [FILE.ns [ARG...]]
 nsrepl [options] FILE.md
 nsrepl -e CODE [ARG...]
 nsrepl test [--timeout SECONDS] DIR...

A scripting language and REPL for Linux namespaces. clone, unshare, setns
and spawn are carried out as real system calls.

With no FILE, read statements interactively when standard input is a
terminal, otherwise read a script from standard input ("-" also does).

Options:
 -e, --eval CODE    run CODE and exit
 -t, --trace        print each system call as it is made, like strace
 -s, --step         pause before each step until Enter is pressed (on the
                    terminal, /dev/tty), and show each statement as it runs
 -h, --help         display this help and exit
 -V, --version      display the version and exit

Statements:
 spawn CMD [&]                   run a program in the session's namespaces
 clone KINDS [OPTIONS] [CMD] [&] run a program in fresh namespaces
 unshare KINDS [OPTIONS] [{...}] give the session fresh namespaces
 setns TARGET [KINDS] [{...}]    join the namespaces of TARGET
 ns TARGET, compare A, B         show namespaces, side by side

Tutorials:
 FILE.md            run the \`\`\`ns blocks of a Markdown file in order, in one
                    session, printing the prose around them
 test DIR...        run each *.ns and *.md in DIR as a process of its own
                    (killed after 300 s); print ok or FAIL for each, then
                    "N passed, N failed"; exit 1 if any failed
 say TEXT, step NAME           prose, and a numbered heading
 expect raises(f) == "EPERM"   the error f() raises, or null if none
 shares(a, b, KIND), isolated(a, b, KIND)   same namespace or not

Kinds: user mnt pid net uts ipc cgroup time (mount = mnt, all = every kind)
Options: map root, map user, map IN OUT COUNT, mount proc, hostname NAME,
 propagation private|slave|shared|unchanged, setgroups allow|deny,
 capture, root DIR, cwd DIR; with time: offset monotonic|boottime SECONDS;
 setns TARGET [KINDS] takes mount proc, root DIR and cwd DIR

Exit status: 0 ok, 1 an expect failed, 64 usage, 65 syntax error,
70 runtime error.

Example:
 nsrepl -e 'clone pid, mnt mount proc "ps aux"'
`;
