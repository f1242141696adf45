// Reaping and lifetimes: wait statuses, no fd or zombie growth over many
// launches, holders that die with nsrepl even when it is SIGKILLed.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, rmSync, writeSync } from "node:fs";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { launch } from "../../stdlib/launch.js";
import { decodeStatus, killAll, liveCount } from "../../stdlib/reaper.js";
import { setTrace } from "../../stdlib/trace.js";
import {
  alive, fdCount, gone, helperJob, holderSpec, killPid, run, runHelper,
  spec, zombies,
} from "./support.js";

// Helper jobs: start a holder and an unref'd background sleep, print both
// pids, then either wait to be killed or simply end.
async function startBoth(wait: boolean): Promise<void> {
  const holder = launch(holderSpec({ create: ["net"] }));
  const sleeper = launch(spec(["sleep", "60"], { stdio: [{ type: "null" },
    { type: "null" }, { type: "null" }] }));
  sleeper.unref();
  process.stdout.write(`${holder.pid} ${sleeper.pid}\n`);
  if (wait) setInterval(() => {}, 1000);
}

// nsrepl dies after the child reported ready, before it is released: the
// gate reads EOF, the zeroed path makes execve fail, the program never
// runs. The trace of report B is the last thing before the release.
// With `gateless`, the launch has no release gate (the program's path
// known, no cwd): nsrepl dies right after the clone, before or after the
// process set its death signal, and the program must not run either way.
// Otherwise the gate is there (a name looked up in PATH after chdir).
function dieBeforeRelease(marker: string, gateless: boolean): void {
  setTrace((line) => {
    const pid = /^\[(\d+)\] clone/.exec(line)?.[1];
    if (pid) writeSync(1, `${pid}\n`);
    if (pid && gateless) process.kill(process.pid, "SIGKILL");
    if (/\] chdir /.test(line)) process.kill(process.pid, "SIGKILL");
  });
  const script = ["-c", `echo ran > ${marker}`];
  if (gateless) launch(spec(["/bin/sh", ...script]));
  else launch(spec(["sh", ...script], { cwd: "/" }));
}

/** Starts a helper job; resolves with its printed pids and the process. */
function startHelper(job: string) {
  const bundle = fileURLToPath(import.meta.url);
  const child = spawn(process.execPath, [bundle], {
    env: { ...process.env, NSREPL_STDLIB_HELPER: job },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const pids = new Promise<number[]>((resolve) => {
    child.stdout.once("data", (d: Buffer) =>
      resolve(d.toString().trim().split(" ").map(Number)));
  });
  return { child, pids };
}

const test = suite("reaper");

test("wait statuses decode as a shell reports them", () => {
  assert.equal(decodeStatus(3 << 8), { status: 3, signal: null,
    coreDumped: false });
  assert.equal(decodeStatus(9), { status: 137, signal: "SIGKILL",
    coreDumped: false });
  assert.equal(decodeStatus(0x80 | 11), { status: 139, signal: "SIGSEGV",
    coreDumped: true });
});

test("300 launches leave no fd, zombie or tracked child behind",
  async () => {
    await run(["true"]);
    const fds = fdCount();
    for (let i = 0; i < 300; i++) {
      const r = await run(["sh", "-c", `exit ${i % 7}`]);
      assert.is(r.status, i % 7);
    }
    assert.is(fdCount(), fds);
    assert.is(zombies(), 0);
    assert.is(liveCount(), 0);
  });

test("failed launches leave nothing behind either", async () => {
  const fds = fdCount();
  for (let i = 0; i < 50; i++) {
    assert.throws(() => launch(spec(["true"], { cwd: "/nonexistent" })));
    assert.is((await run(["no-such-command-here"])).status, 127);
  }
  assert.is(fdCount(), fds);
  assert.is(zombies(), 0);
});

test("a holder and a background child die when nsrepl is SIGKILLed",
  async () => {
    const { child, pids } = startHelper("wait");
    const [holder, sleeper] = await pids;
    try {
      assert.ok(alive(holder) && alive(sleeper));
      const exited = once(child, "exit");
      child.kill("SIGKILL");
      await exited;
      assert.ok(await gone(holder), `holder ${holder} outlived nsrepl`);
      assert.ok(await gone(sleeper), `sleeper ${sleeper} outlived nsrepl`);
    } finally {
      killPid(holder);
      killPid(sleeper);
    }
  });

test("a script that ends with a holder alive exits, and the holder dies",
  async () => {
    const started = Date.now();
    const r = runHelper(import.meta.url, "end");
    assert.is(r.status, 0, r.stderr);
    const [holder, sleeper] = r.stdout.trim().split(" ").map(Number);
    try {
      assert.ok(Date.now() - started < 10000);
      assert.ok(await gone(holder), `holder ${holder} outlived nsrepl`);
      assert.ok(await gone(sleeper), `sleeper ${sleeper} outlived nsrepl`);
    } finally {
      killPid(holder);
      killPid(sleeper);
    }
  });

for (const gateless of ["0", "1"]) {
  const how = gateless === "1" ? "with no release gate" : "at the gate";
  test(`if nsrepl dies before the release (${how}), the program never runs`,
    () => {
      const marker = `/tmp/nsrepl-gate-${process.pid}`;
      const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url)],
        { env: { ...process.env, NSREPL_STDLIB_HELPER: "die", MARKER: marker,
          GATELESS: gateless }, encoding: "utf8" });
      const pid = Number(r.stdout.trim());
      try {
        assert.is(r.signal, "SIGKILL");
        assert.ok(pid > 0, r.stderr);
        spawnSync("sleep", ["0.2"]);
        assert.not.ok(alive(pid), `child ${pid} still alive`);
        assert.not.ok(existsSync(marker), "the program ran");
      } finally {
        killPid(pid);
        rmSync(marker, { force: true });
      }
    });
}

test("killAll kills and reaps every child at once", async () => {
  const holder = launch(holderSpec());
  const sleeper = launch(spec(["sleep", "60"]));
  killAll();
  assert.is(liveCount(), 0);
  assert.is((await holder.exited).status, 137);
  assert.is((await sleeper.exited).status, 137);
  assert.ok(!alive(holder.pid) && !alive(sleeper.pid));
  assert.is(zombies(), 0);
});

if (helperJob === "wait") await startBoth(true);
else if (helperJob === "die") {
  dieBeforeRelease(process.env.MARKER!, process.env.GATELESS === "1");
}
else if (helperJob === "end") await startBoth(false);
else test.run();
