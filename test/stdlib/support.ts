// Shared by the stdlib suites: specs with defaults, a capture-and-wait
// runner, and what a test checks to prove it left nothing behind.

import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { LaunchSpec } from "../../stdlib/types.js";
import { launch, type LaunchedChild } from "../../stdlib/launch.js";

/** A spec that runs `argv` with stdout captured and nothing else new. */
export function spec(argv: string[] | null,
  more: Partial<LaunchSpec> = {}): LaunchSpec {
  return {
    argv, env: ["PATH=/usr/sbin:/usr/bin:/sbin:/bin"], cwd: null, join: {},
    create: [], createForChildren: [], maps: null, mountProc: false,
    propagation: "private", hostname: null,
    stdio: [{ type: "null" }, { type: "capture" }, { type: "inherit" }],
    ...more,
  };
}

/** A holder: no program, all stdio on /dev/null. */
export function holderSpec(more: Partial<LaunchSpec> = {}): LaunchSpec {
  const nul = { type: "null" } as const;
  return spec(null, { stdio: [nul, nul, nul], ...more });
}

export interface Ran { out: string; status: number; child: LaunchedChild }

/** Launches, then waits for the output and the exit. */
export async function run(argv: string[],
  more: Partial<LaunchSpec> = {}): Promise<Ran> {
  const child = launch(spec(argv, more));
  const out = (await child.output) ?? "";
  const { status } = await child.exited;
  return { out, status, child };
}

export { fdCount, zombies } from "../helpers/proc.js";

/** Whether `pid` exists and has not exited. */
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "latin1");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

/** Resolves once `pid` is gone, or false after `ms`. */
export async function gone(pid: number, ms = 3000): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (!alive(pid)) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return !alive(pid);
}

/** Kills `pid` if it is still there; for finally blocks. */
export function killPid(pid: number): void {
  try { process.kill(pid, "SIGKILL"); } catch { /* already gone */ }
}

/** The helper job this bundle was started for, if any. */
export const helperJob = process.env.NSREPL_STDLIB_HELPER;

/**
 * Runs this test bundle again as a helper process doing `job`,
 * optionally as uid/gid 65534 through setpriv.
 */
export function runHelper(url: string, job: string, rootless = false) {
  const bundle = fileURLToPath(url);
  const node = [process.execPath, bundle];
  const argv = rootless ? ["setpriv", "--reuid=65534", "--regid=65534",
    "--clear-groups", ...node] : node;
  return spawnSync(argv[0], argv.slice(1), {
    cwd: "/", encoding: "utf8", timeout: 20000,
    env: { ...process.env, NSREPL_STDLIB_HELPER: job },
  });
}

/** Whether uid 65534 can read the bundle (it lives under dist/). */
export function readableByNobody(url: string): boolean {
  const r = spawnSync("setpriv", ["--reuid=65534", "--regid=65534",
    "--clear-groups", "cat", fileURLToPath(url)], { stdio: "ignore" });
  return r.status === 0 && existsSync(fileURLToPath(url));
}
