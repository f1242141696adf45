// The yardstick for the spawn benchmarks: what the kernel's limit for
// starting /bin/true in namespaces looks like from a small C program, with
// nothing of nsrepl's protocol. Compiled by bench/spawn.js with the
// machine's cc; not part of nsrepl.
//
//   spawn N plain|user|mnt|pid|net|uts|ipc|cgroup|time   clone, exec
//   spawn N all           user+mnt+pid+net+uts+ipc, mapped root, exec
//   spawn N setns PID     join PID's namespaces, fork into its pid ns, exec
//   spawn hold            start a holder in new namespaces, print its pid,
//                         and end it when standard input closes
//   spawn maxrss CMD...   run CMD, print its peak RSS in kB
//
// Prints the mean milliseconds per operation over the N operations.

#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char *const true_argv[] = { "/bin/true", NULL };
static char *const no_env[] = { NULL };

static void die(const char *what) {
  perror(what);
  exit(2);
}

static const struct { const char *name; uint64_t flag; } kinds[] = {
  { "user", CLONE_NEWUSER }, { "mnt", CLONE_NEWNS },
  { "pid", CLONE_NEWPID }, { "net", CLONE_NEWNET },
  { "uts", CLONE_NEWUTS }, { "ipc", CLONE_NEWIPC },
  { "cgroup", CLONE_NEWCGROUP }, { "time", CLONE_NEWTIME },
};

static uint64_t flags_of(const char *mode) {
  if (strcmp(mode, "plain") == 0) return 0;
  if (strcmp(mode, "all") == 0) {
    return CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET |
      CLONE_NEWUTS | CLONE_NEWIPC;
  }
  for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
    if (strcmp(mode, kinds[i].name) == 0) return kinds[i].flag;
  }
  fprintf(stderr, "spawn: unknown mode '%s'\n", mode);
  exit(64);
}

// clone3 rather than clone: it is the only call that can create a time
// namespace for the new process itself.
static pid_t clone_with(uint64_t flags) {
  struct clone_args args = { .flags = flags, .exit_signal = SIGCHLD };
  return (pid_t)syscall(SYS_clone3, &args, sizeof args);
}

static void write_file(pid_t pid, const char *file, const char *text) {
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/%s", pid, file);
  int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0 || write(fd, text, strlen(text)) < 0) die(path);
  close(fd);
}

// What `map root` means: 0 inside is the caller outside.
static void map_root(pid_t pid) {
  char line[32];
  write_file(pid, "setgroups", "deny");
  snprintf(line, sizeof line, "0 %d 1\n", (int)getuid());
  write_file(pid, "uid_map", line);
  snprintf(line, sizeof line, "0 %d 1\n", (int)getgid());
  write_file(pid, "gid_map", line);
}

static void child_exec(uint64_t flags, int gate) {
  char go;
  if (gate >= 0 && read(gate, &go, 1) != 1) _exit(126);
  // As unshare(1) does: mounts made inside stay inside.
  if (flags & CLONE_NEWNS) mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL);
  execve("/bin/true", true_argv, no_env);
  _exit(127);
}

static void wait_ok(pid_t pid) {
  int status;
  if (waitpid(pid, &status, 0) != pid) die("waitpid");
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    fprintf(stderr, "spawn: child ended with status 0x%x\n", status);
    exit(2);
  }
}

// With `map`, the child waits on a pipe until nsrepl's `map root` is done.
static void clone_once(uint64_t flags, int map) {
  int gate[2] = { -1, -1 };
  if (map && pipe2(gate, O_CLOEXEC) < 0) die("pipe2");
  pid_t pid = clone_with(flags);
  if (pid < 0) die("clone3");
  if (pid == 0) child_exec(flags, gate[0]);
  if (map) {
    map_root(pid);
    if (write(gate[1], "", 1) != 1) die("write");
    close(gate[0]);
    close(gate[1]);
  }
  wait_ok(pid);
}

static const char *const ns_files[] = {
  "user", "mnt", "pid", "net", "uts", "ipc",
};
#define NS_COUNT (sizeof ns_files / sizeof ns_files[0])

static void open_namespaces(const char *pid, int *fds) {
  char path[64];
  for (size_t i = 0; i < NS_COUNT; i++) {
    snprintf(path, sizeof path, "/proc/%s/ns/%s", pid, ns_files[i]);
    fds[i] = open(path, O_RDONLY | O_CLOEXEC);
    if (fds[i] < 0) die(path);
  }
}

// As nsenter(1) does: setns each (user first), then fork, because setns
// into a pid namespace moves only the caller's future children.
static void setns_once(const int *fds) {
  pid_t pid = fork();
  if (pid < 0) die("fork");
  if (pid == 0) {
    for (size_t i = 0; i < NS_COUNT; i++) {
      if (setns(fds[i], 0) < 0) _exit(125);
    }
    pid_t inner = fork();
    if (inner < 0) _exit(124);
    if (inner == 0) child_exec(0, -1);
    int status;
    waitpid(inner, &status, 0);
    _exit(WIFEXITED(status) ? WEXITSTATUS(status) : 123);
  }
  wait_ok(pid);
}

// A process in new user, mnt, pid, net, uts and ipc namespaces, mapped
// root, that the setns cases join. It dies with this program.
static int hold(void) {
  int gate[2];
  if (pipe2(gate, O_CLOEXEC) < 0) die("pipe2");
  pid_t pid = clone_with(flags_of("all"));
  if (pid < 0) die("clone3");
  if (pid == 0) {
    char go;
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (read(gate[0], &go, 1) != 1) _exit(1);
    for (;;) pause();
  }
  map_root(pid);
  if (write(gate[1], "", 1) != 1) die("write");
  printf("%d\n", (int)pid);
  fflush(stdout);
  char buf[64];
  while (read(0, buf, sizeof buf) > 0) continue;
  kill(pid, SIGKILL);
  waitpid(pid, NULL, 0);
  return 0;
}

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

// The peak resident set of a command that ends at once (`node -e 0`),
// which /proc cannot show after the fact but wait4 can.
static int maxrss(char **cmd) {
  pid_t pid = fork();
  if (pid < 0) die("fork");
  if (pid == 0) {
    execvp(cmd[0], cmd);
    _exit(127);
  }
  int status;
  struct rusage usage;
  if (wait4(pid, &status, 0, &usage) != pid) die("wait4");
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return 2;
  printf("%ld\n", usage.ru_maxrss);
  return 0;
}

int main(int argc, char **argv) {
  if (argc == 2 && strcmp(argv[1], "hold") == 0) return hold();
  if (argc > 2 && strcmp(argv[1], "maxrss") == 0) return maxrss(argv + 2);
  if (argc < 3) {
    fprintf(stderr, "usage: spawn N MODE [PID] | spawn hold\n");
    return 64;
  }
  long n = atol(argv[1]);
  int setns_mode = strcmp(argv[2], "setns") == 0;
  int fds[NS_COUNT];
  uint64_t flags = 0;
  if (setns_mode) {
    if (argc < 4) return 64;
    open_namespaces(argv[3], fds);
  } else {
    flags = flags_of(argv[2]);
  }
  double start = now_ms();
  for (long i = 0; i < n; i++) {
    if (setns_mode) setns_once(fds);
    else clone_once(flags, strcmp(argv[2], "all") == 0);
  }
  printf("%.4f\n", (now_ms() - start) / n);
  return 0;
}
