// Keeping namespaces: persist and release on a temporary file, and
// netns_add and netns_del against the real `ip netns`, both ways. Every
// test undoes what it made in `finally` — the bind mounts, the names
// under /run/netns and, if the test created it, /run/netns itself.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import {
  chownSync, existsSync, lchownSync, mkdirSync, mkdtempSync, readFileSync,
  readdirSync, rmSync, symlinkSync, writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { bin, runCode, runCodeAsNobody, failed, ok } from "./helpers/cli.js";
import { withNetnsName } from "./helpers/netns.js";

const NETNS = "/run/netns";


function run(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: "utf8" });
  assert.is(r.status, 0, `${cmd} ${args.join(" ")}: ${r.stderr}`);
  return r.stdout.trim();
}

const quietly = (cmd: string, args: string[]) => spawnSync(cmd, args);
const mounted = (path: string) => readFileSync("/proc/self/mountinfo", "utf8")
  .split("\n").some((line) => line.split(" ")[4] === path);

/** Runs `body` with a fresh temporary directory, removed afterwards. */
function withDir(body: (dir: string) => void): void {
  const dir = mkdtempSync("/tmp/nsrepl-persist-");
  try {
    body(dir);
  } finally {
    for (const name of readdirSync(dir)) {
      quietly("umount", ["-l", join(dir, name)]);
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Runs `body` with a network namespace name of its own; afterwards the
 * name is gone, and /run/netns too if the test brought it into being
 * (`ip netns add` and netns_add make it a shared bind mount of itself).
 */
function withName(body: (name: string) => void): void {
  withNetnsName(`nsrepl-persist-${process.pid}`, body);
}

test("persist keeps a uts namespace on a file after nsrepl ends; release undoes it", () => {
  withDir((dir) => {
    const file = join(dir, "uts");
    const id = ok(runCode(`unshare uts hostname "kept"
print persist("uts", "${file}")`));
    assert.match(id, /^uts:\[\d+\]$/);
    assert.ok(mounted(file), "the bind is in the host's mountinfo");
    assert.is(run("nsenter", [`--uts=${file}`, "hostname"]), "kept");
    assert.is(ok(runCode(`print release("${file}")`)), "true");
    assert.not.ok(mounted(file), "the bind is gone");
    assert.not.ok(existsSync(file), "the file is gone");
  });
});

test("persist keeps a pid namespace that has no process yet; the next one in is PID 1", () => {
  withDir((dir) => {
    const file = join(dir, "pid");
    ok(runCode(`unshare pid\npersist("pid", "${file}")`));
    assert.is(run("nsenter", [`--pid=${file}`, "sh", "-c", "echo $$"]), "1");
  });
});

test("release refuses what is not a persisted namespace, and deletes nothing", () => {
  withDir((dir) => {
    const file = join(dir, "plain");
    run("touch", [file]);
    const err = failed(runCode(`release("${file}")`));
    assert.match(err, `'${file}' is not a persisted namespace`);
    assert.ok(existsSync(file));
  });
});

test("persist of a mount namespace onto a shared mount: EINVAL, explained", () => {
  withDir((dir) => {
    // The shared mount lives in a private mount namespace of this test's
    // own, which nsrepl treats as its host. Its peer (a bind of it) is
    // where the kernel would have to copy the mount namespace file to.
    const code = `unshare mnt\npersist("mnt", "${dir}/shared/mnt")`;
    const script = `cd ${dir} && mkdir shared peer && ` +
      "mount -t tmpfs nsrepl shared && mount --make-shared shared && " +
      `mount --bind shared peer && exec "$0" -e "$1"`;
    const r = spawnSync("unshare", ["-m", "--propagation", "private", "sh",
      "-c", script, bin, code],
    { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
    const err = failed({ stdout: r.stdout, stderr: r.stderr, status: r.status ?? -1 });
    assert.match(err, /mount on .*\/shared\/mnt \(bind of mnt:\[\d+\]\): EINVAL/);
    assert.match(err, "note: a mount namespace file is never copied into other");
    assert.match(err, "a shared mount that has peers");
    assert.match(err, "--make-private");
  });
});

test("rootless persist: EPERM, and why only root can keep a namespace", () => {
  const err = failed(runCodeAsNobody(`unshare user map root
unshare uts
persist("uts", "/tmp/nsrepl-never-${process.pid}")`));
  assert.match(err, "EPERM");
  assert.match(err, "note: persisting binds the namespace file into nsrepl's own");
  assert.not.ok(existsSync(`/tmp/nsrepl-never-${process.pid}`));
});

test("netns_add: `ip netns list` shows the name, `ip netns exec` enters it", () => {
  withName((name) => {
    const id = ok(runCode(`unshare net\nprint netns_add("${name}")`));
    assert.ok(run("ip", ["netns", "list"]).split("\n")
      .some((line) => line.split(" ")[0] === name), "listed");
    const inside = run("ip", ["netns", "exec", name, "readlink",
      "/proc/self/ns/net"]);
    assert.is(inside, id);
    assert.is(ok(runCode(`print netns_del("${name}")`)), "true");
    assert.not.ok(run("ip", ["netns", "list"]).includes(name));
  });
});

test("`ip netns add`, then nsrepl's setns joins it by name", () => {
  withName((name) => {
    run("ip", ["netns", "add", name]);
    const theirs = run("ip", ["netns", "exec", name, "readlink",
      "/proc/self/ns/net"]);
    const ours = ok(runCode(`setns "${name}"
spawn "readlink /proc/self/ns/net"`));
    assert.is(ours, theirs);
  });
});

test("netns_add of a name in use fails, and leaves it as it was", () => {
  withName((name) => {
    run("ip", ["netns", "add", name]);
    const err = failed(runCode(`unshare net\nnetns_add("${name}")`));
    assert.match(err, `network namespace '${name}' already exists`);
    run("ip", ["netns", "exec", name, "true"]);
  });
});

test("bad names never reach a path outside /run/netns", () => {
  const before = existsSync(NETNS) ? readdirSync(NETNS) : [];
  const long = "x".repeat(256);
  const cases: [string, string][] = [
    ["", "'' is not a network namespace name: it is empty"],
    [".", "'.' is not a network namespace name"],
    ["..", "'..' is not a network namespace name"],
    ["a/b", "'a/b' is not a network namespace name: it contains '/'"],
    [`../../tmp/nsrepl-escape-${process.pid}`, "it contains '/'"],
    [long, "it is longer than 255 bytes"],
  ];
  for (const [name, message] of cases) {
    for (const fn of ["netns_add", "netns_del"]) {
      const err = failed(runCode(`unshare net\n${fn}("${name}")`));
      assert.match(err, message, `${fn}("${name}")`);
    }
  }
  assert.equal(existsSync(NETNS) ? readdirSync(NETNS) : [], before);
  assert.not.ok(existsSync(`/tmp/nsrepl-escape-${process.pid}`));
});

test("netns_del of a name that is not there: ENOENT", () => {
  const r = runCode(`try { netns_del("nsrepl-none-${process.pid}") } catch e { print e.code }`);
  assert.is(ok(r), "ENOENT");
});

// What another user can do in a directory they can write to: plant a
// symbolic link, owned by them, where nsrepl (root) will write.
function plant(dir: string, target: string, name: string): string {
  const theirs = join(dir, "theirs");
  if (!existsSync(theirs)) {
    mkdirSync(theirs);
    chownSync(theirs, 65534, 65534);
  }
  const link = join(theirs, name);
  symlinkSync(target, link);
  lchownSync(link, 65534, 65534);
  return link;
}

test("persist never follows a symbolic link another user planted, last name or on the way", () => {
  withDir((dir) => {
    const victim = join(dir, "victim");
    writeFileSync(victim, "keep\n");
    const file = plant(dir, victim, "file");
    assert.match(failed(runCode(`persist("uts", "${file}")`)),
      /'.*\/theirs\/file' is a symbolic link, not followed/);
    const through = plant(dir, dir, "dir");
    assert.match(failed(runCode(`persist("uts", "${through}/made")`)),
      /leads through a symbolic link owned by uid 65534/);
    assert.not.ok(mounted(victim), "nothing mounted on the link's target");
    assert.is(readFileSync(victim, "utf8"), "keep\n");
    assert.not.ok(existsSync(join(dir, "made")), "nothing created beyond the link");
  });
});

test("release never follows a planted link to a persisted namespace", () => {
  withDir((dir) => {
    const kept = join(dir, "kept");
    ok(runCode(`persist("uts", "${kept}")`));
    const link = plant(dir, kept, "kept");
    assert.match(failed(runCode(`release("${link}")`)),
      /is not a persisted namespace/);
    assert.ok(mounted(kept), "the namespace stays persisted");
    ok(runCode(`release("${kept}")`));
    assert.not.ok(mounted(kept));
  });
});

test("a link root owns is followed, as /var/run -> /run", () => {
  withDir((dir) => {
    symlinkSync(dir, join(dir, "ours"));
    ok(runCode(`persist("uts", "${dir}/ours/kept")
release("${dir}/ours/kept")`));
    assert.not.ok(existsSync(join(dir, "kept")));
    ok(runCode(`persist("uts", "${dir}/ours/kept")`));
    assert.ok(mounted(join(dir, "kept")), "bound on the link's target");
  });
});

test.run();
