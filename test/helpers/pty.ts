// Drives nsrepl through a real pseudo-terminal, as a person at a keyboard
// would: util-linux `script` allocates the pty, and we type into it.
import { spawn } from "node:child_process";
import { WATCHDOG_NAME } from "../../stdlib/watchdog.js";
import { alive } from "./proc.js";
import type { ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { bin } from "./cli.js";

export interface TerminalOptions {
  /** Added to the environment (NO_COLOR=1, TERM=xterm, no history). */
  env?: Record<string, string>;
  /** Arguments to nsrepl. */
  args?: string[];
  /** More terminal modes for stty to set before nsrepl starts. */
  stty?: string;
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export class Terminal {
  private proc: ChildProcess;
  private raw = "";
  private exitCode: Promise<number>;

  constructor(opts: TerminalOptions = {}) {
    // A pty made by `script` from a pipe has no size; readline lays out
    // completions and long lines by it, so give it a usual one.
    const nsrepl = [bin, ...(opts.args ?? [])]
      .map(quote).join(" ");
    const cmd = `stty cols 80 rows 24 ${opts.stty ?? ""}; exec ${nsrepl}`;
    this.proc = spawn("script", ["-qfec", cmd, "/dev/null"], {
      stdio: ["pipe", "pipe", "pipe"],
      // No history file unless a test asks for one: none is left behind.
      env: {
        ...process.env, NO_COLOR: "1", TERM: "xterm", NSREPL_HISTORY: "",
        ...opts.env,
      },
    });
    this.proc.stdout!.on("data", (d) => {
      this.raw += d.toString();
    });
    this.exitCode = new Promise((resolve) =>
      this.proc.on("exit", (code) => resolve(code ?? -1)));
  }

  /** Everything shown so far, cursor movement and color codes dropped. */
  get screen(): string {
    return plain(this.raw);
  }

  /** Everything shown so far, escape sequences and all. */
  get bytes(): string {
    return this.raw;
  }

  /** Types `text`: "\r" is Enter, "\x03" Ctrl-C, "\x04" Ctrl-D. */
  type(text: string): void {
    this.proc.stdin!.write(text);
  }

  /** Waits until the screen after `from` matches `pattern`. */
  async waitFor(pattern: RegExp, from = 0,
    timeoutMs = 15_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const text = plain(this.raw).slice(from);
      if (pattern.test(text)) return text;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(
      `timed out waiting for ${pattern}; screen:\n${this.screen}`);
  }

  /** Position to wait from: only output after this counts. */
  mark(): number {
    return plain(this.raw).length;
  }

  /** The exit status of nsrepl (through `script`); fails after a while. */
  async exit(timeoutMs = 15_000): Promise<number> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(
        `nsrepl did not exit; screen:\n${this.screen}`)), timeoutMs);
    });
    try {
      return await Promise.race([this.exitCode, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** nsrepl's pid: `script`'s child, which became nsrepl by exec. */
  nsreplPid(): number {
    return children(this.proc.pid!)[0];
  }

  /**
   * SIGKILLs nsrepl, whatever it started, and `script`, by pid; then
   * waits for nsrepl's watchdog to remove the session cgroup, as it does
   * once nsrepl is gone (it is killed too if it takes over 2 s).
   */
  kill(): void {
    if (this.proc.exitCode !== null || !this.proc.pid) return;
    const all = [...descendants(this.proc.pid), this.proc.pid];
    const dogs = all.filter((pid) => comm(pid) === WATCHDOG_NAME);
    for (const pid of all.filter((p) => !dogs.includes(p))) killPid(pid);
    const end = Date.now() + 2000;
    while (dogs.some(alive) && Date.now() < end) sleepMs(5);
    dogs.forEach(killPid);
  }
}

/** `text` without escape sequences, as a person reads the screen. */
export function plain(text: string): string {
  return text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "");
}

function killPid(pid: number): void {
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // already gone
  }
}

const comm = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/comm`, "utf8").trim();
  } catch {
    return "";
  }
};

const sleepMs = (ms: number) =>
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

function descendants(pid: number): number[] {
  const found: number[] = [];
  for (const child of children(pid)) found.push(...descendants(child), child);
  return found;
}

function children(pid: number): number[] {
  try {
    const text = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8");
    return text.split(" ").filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** Runs `body` against a fresh REPL at its first prompt; ends it after. */
export async function session(
  body: (t: Terminal) => Promise<void>, opts: TerminalOptions = {},
): Promise<void> {
  const t = new Terminal(opts);
  try {
    await t.waitFor(/nsrepl> $/);
    await body(t);
  } finally {
    t.kill();
  }
}
