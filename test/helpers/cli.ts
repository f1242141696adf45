// Runs nsrepl's built command line as a user would, capturing its output.
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import type { SpawnSyncOptions } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json"))) dir = dirname(dir);
  return dir;
}

export const root = findRoot();
/** The installed command, which starts from the start-up snapshot. */
export const bin = join(root, "bin/nsrepl");

export interface CliResult { stdout: string; stderr: string; status: number }

/** Runs `nsrepl ARGS...` to completion, colors off. */
export function runCli(args: string[], opts: SpawnSyncOptions = {}): CliResult {
  const r = spawnSync(bin, args, {
    encoding: "utf8", timeout: 60_000, ...opts,
    env: { ...process.env, NO_COLOR: "1", ...(opts.env ?? {}) },
  });
  return {
    stdout: String(r.stdout), stderr: String(r.stderr), status: r.status ?? -1,
  };
}

/** Runs `nsrepl -e CODE`. */
export function runCode(code: string, opts: SpawnSyncOptions = {}): CliResult {
  return runCli(["-e", code], opts);
}

/** The same, as the unprivileged user 65534 (nobody). */
export function runCodeAsNobody(code: string): CliResult {
  const r = spawnSync("setpriv", [
    "--reuid=65534", "--regid=65534", "--clear-groups",
    bin, "-e", code,
  ], { encoding: "utf8", timeout: 60_000, env: { ...process.env, NO_COLOR: "1" } });
  return {
    stdout: String(r.stdout), stderr: String(r.stderr), status: r.status ?? -1,
  };
}

/** The trimmed output of a run that must succeed. */
export function ok(r: CliResult): string {
  assert.is(r.status, 0, `status ${r.status}\n${r.stderr}`);
  return r.stdout.trim();
}

/** The diagnostics of a run that must fail with a runtime error (70). */
export function failed(r: CliResult): string {
  assert.is(r.status, 70, `status ${r.status}\n${r.stdout}\n${r.stderr}`);
  return r.stderr;
}
