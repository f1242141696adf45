// `nsrepl test DIR...`: runs every tutorial (*.ns, *.md) in each
// directory, each as an nsrepl process of its own, so that one tutorial's
// session, namespaces or leftovers cannot change what the next one sees.
// One line per tutorial, then `N passed, N failed`.

import { spawn } from "node:child_process";
import { once } from "node:events";
import { readdirSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import type { Colors } from "./colors.js";
import { stdoutColors } from "./colors.js";
import { selfArgv } from "../stdlib/self.js";

export interface TestOptions {
  /** Seconds a tutorial may run before its process group is killed. */
  timeout: number;
  out?: (line: string) => void;
  colors?: Colors;
}

interface Result { ok: boolean; seconds: number; why: string }

const TUTORIAL = /\.(ns|md)$/;

/** The tutorials named by `paths`: directories are listed, files kept. */
export function tutorialsIn(paths: string[]): string[] {
  const found: string[] = [];
  for (const path of paths) {
    if (!statSync(path).isDirectory()) {
      found.push(path);
      continue;
    }
    const names = readdirSync(path).filter((n) => TUTORIAL.test(n)).sort();
    found.push(...names.map((n) => join(path, n)));
  }
  return found;
}

/** Runs each tutorial; resolves to 0 when all passed, 1 otherwise. */
export async function runTests(
  files: string[], opts: TestOptions,
): Promise<number> {
  const out = opts.out ?? ((line) => process.stdout.write(line + "\n"));
  const c = opts.colors ?? stdoutColors();
  let failed = 0;
  for (const file of files) {
    const r = await runOne(file, opts.timeout);
    if (!r.ok) failed += 1;
    const name = basename(file);
    out(r.ok
      ? `${c.green("ok")}   ${name} ${c.dim(`(${r.seconds.toFixed(1)} s)`)}`
      : `${c.red("FAIL")} ${name}: ${r.why}`);
  }
  out(`${files.length - failed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}

// The tutorial runs detached, as the leader of a process group of its
// own: on a timeout the whole group is killed, and whatever is left in it
// afterwards (a program that escaped nsrepl's clean-up) is killed too.
function runOne(file: string, timeout: number): Promise<Result> {
  const started = Date.now();
  const [node, ...argv] = selfArgv();
  const child = spawn(node, [...argv, file], {
    detached: true, stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "" },
  });
  let stderr = "";
  child.stderr!.on("data", (d) => (stderr += d));
  const drained = once(child.stderr!, "close");
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup(child.pid);
  }, timeout * 1000);
  const stop = interruptKills(child.pid);

  return new Promise((resolve) => {
    child.on("exit", async (status, signal) => {
      clearTimeout(timer);
      stop();
      killGroup(child.pid);
      const seconds = (Date.now() - started) / 1000;
      // The rest of its error output, unless something that left the
      // group holds the pipe open.
      await within(drained, 1000);
      const why = timedOut ? `timed out after ${timeout} s`
        : failure(stderr, status, signal);
      resolve({ ok: !timedOut && status === 0, seconds, why });
    });
  });
}

/** Waits for `promise`, but no longer than `ms`. */
function within(promise: Promise<unknown>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    void promise.then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

// A detached tutorial is in a session of its own, so Ctrl-C at the
// terminal reaches only this runner: pass it on to the group, then go.
function interruptKills(pid: number | undefined): () => void {
  const handlers = SIGNALS.map((sig) => {
    const handler = () => {
      killGroup(pid);
      process.kill(process.pid, sig);
    };
    process.once(sig, handler);
    return [sig, handler] as const;
  });
  return () => handlers.forEach(([sig, h]) => process.off(sig, h));
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // ESRCH: the group is already empty.
  }
}

/** The first error line of a failed run, without the file's path. */
export function failure(
  stderr: string, status: number | null, signal: string | null,
): string {
  const lines = stderr.split("\n").filter((l) => l.trim());
  const error = lines.find((l) => /\berror\b/.test(l)) ?? lines[0];
  if (error) {
    const located = /^.*?:(\d+):\d+: error: (.*)$/.exec(error);
    return located ? `line ${located[1]}: ${located[2]}` : error.trim();
  }
  return signal ? `killed by ${signal}` : `exit status ${status}`;
}
