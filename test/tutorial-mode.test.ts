// `nsrepl test DIR`, step mode at a real terminal, and clean-up: what a
// tutorial started is gone when it ends, passed, failed or timed out.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawn } from "node:child_process";
import {
  mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bin, runCli } from "./helpers/cli.js";

function tutorials(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "nsrepl-tut-"));
  for (const [name, text] of Object.entries(files)) {
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

/** Command lines of the processes still running that contain `marker`. */
function running(marker: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync("/proc").filter((n) => /^\d+$/.test(n))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
      if (cmd.includes(marker)) found.push(cmd);
    } catch {
      // It ended while we looked.
    }
  }
  return found;
}

test("test mode prints one line per tutorial and the totals", () => {
  const dir = tutorials({
    "a.ns": "expect 1 + 1 == 2\n",
    "b.md": "# B\n\n```ns\nlet r = spawn \"sh -c 'exit 3'\"\nexpect r.status == 0\n```\n",
    "c.ns": "print undefined_name\n",
    "notes.txt": "not a tutorial\n",
  });
  try {
    const r = runCli(["test", dir]);
    const lines = r.stdout.trimEnd().split("\n");
    assert.is(r.status, 1, r.stderr);
    assert.match(lines[0], /^ok   a\.ns \(\d+\.\d s\)$/);
    assert.is(lines[1], "FAIL b.md: line 5: expect failed: r.status == 0");
    assert.is(lines[2], "FAIL c.ns: line 1: 'undefined_name' is not defined");
    assert.is(lines[3], "1 passed, 2 failed");
    assert.is(lines.length, 4);
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test("test mode exits 0 when every tutorial passes", () => {
  const dir = tutorials({ "one.ns": "say \"hi\"\n", "two.md": "text\n" });
  try {
    const r = runCli(["test", dir]);
    assert.is(r.status, 0, r.stdout);
    assert.match(r.stdout, /\n2 passed, 0 failed\n$/);
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test("each tutorial runs in a process of its own", () => {
  const dir = tutorials({
    "a.ns": "unshare uts hostname \"changed\"\n",
    "b.ns": 'let r = spawn capture "hostname"\nexpect trim(r.stdout) != "changed"\n',
  });
  try {
    assert.match(runCli(["test", dir]).stdout, /2 passed, 0 failed/);
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test("a tutorial that runs too long is killed with its whole group", () => {
  const dir = tutorials({
    "slow.ns": 'let bg = spawn "sleep 913" &\nspawn "sleep 914"\n',
  });
  try {
    const r = runCli(["test", "--timeout", "1", dir]);
    assert.is(r.status, 1);
    assert.match(r.stdout, /^FAIL slow\.ns: timed out after 1 s\n0 passed, 1 failed\n$/);
    assert.equal(running("sleep 91"), []);
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test("what a failed tutorial started is gone when it ends", () => {
  const dir = tutorials({
    "fails.ns": 'let bg = spawn "sleep 927" &\nlet h = clone net, pid\nexpect false\n',
  });
  try {
    const r = runCli([join(dir, "fails.ns")]);
    assert.is(r.status, 1);
    assert.equal(running("sleep 927"), []);
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test("test mode: a missing or empty directory is a usage error", () => {
  const empty = tutorials({});
  try {
    assert.is(runCli(["test", join(empty, "nope")]).status, 64);
    const r = runCli(["test", empty]);
    assert.is(r.status, 64);
    assert.match(r.stderr, /no tutorials \(\*\.ns, \*\.md\) in/);
    assert.is(runCli(["test"]).status, 64);
  } finally {
    rmSync(empty, { recursive: true });
  }
});

test("--help lists the tutorial modes within 80 columns", () => {
  const r = runCli(["--help"]);
  for (const line of r.stdout.split("\n")) assert.ok(line.length <= 80, line);
  for (const word of ["--step", "FILE.md", "test DIR", "raises", "shares"]) {
    assert.ok(r.stdout.includes(word), word);
  }
});

test("--step at a terminal waits for Enter before each step", async () => {
  const dir = tutorials({
    "t.ns": 'say "intro"\nstep "first"\nprint "one"\nstep "second"\nprint "two"\n',
  });
  const term = new Screen(`${bin} --step ${join(dir, "t.ns")}`);
  try {
    await term.waitFor(/\[Enter: Step 1: first\]/);
    assert.not.match(term.text, /Step 1: first\r?\n/);
    term.type("\r");
    await term.waitFor(/\[Enter: Step 2: second\]/);
    assert.match(term.text, /nsrepl> print "one"\r?\none/);
    assert.not.match(term.text, /two/);
    term.type("\r");
    assert.is(await term.exit(), 0);
    assert.match(term.text, /nsrepl> print "two"\r?\ntwo/);
  } finally {
    term.kill();
    rmSync(dir, { recursive: true });
  }
});

/** A command on a pseudo-terminal (util-linux script), typed into. */
class Screen {
  text = "";
  private proc;
  private done: Promise<number>;

  constructor(command: string) {
    this.proc = spawn("script", ["-qfec", command, "/dev/null"], {
      stdio: ["pipe", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1" },
    });
    this.proc.stdout!.on("data", (d) => (this.text += d.toString()));
    this.done = new Promise((resolve) =>
      this.proc.on("exit", (code) => resolve(code ?? -1)));
  }

  type(keys: string): void {
    this.proc.stdin!.write(keys);
  }

  async waitFor(pattern: RegExp, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!pattern.test(this.text)) {
      if (Date.now() > deadline) throw new Error(`no ${pattern} in:\n${this.text}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  exit(): Promise<number> {
    return this.done;
  }

  kill(): void {
    if (this.proc.exitCode === null) this.proc.kill("SIGKILL");
  }
}

test.run();
