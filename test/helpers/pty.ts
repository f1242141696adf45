// Drives nsrepl through a real pseudo-terminal, as a person at a keyboard
// would: util-linux `script` allocates the pty, and we type into it.
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { bundle } from "./cli.js";

export class Terminal {
  private proc: ChildProcess;
  private seen = "";
  private exitCode: Promise<number>;

  constructor(env: Record<string, string> = {}) {
    const cmd = `${process.execPath} ${bundle}`;
    this.proc = spawn("script", ["-qfec", cmd, "/dev/null"], {
      stdio: ["pipe", "pipe", "pipe"],
      env: { ...process.env, NO_COLOR: "1", TERM: "xterm", ...env },
    });
    // Cursor movement and color codes are dropped: tests read the text.
    this.proc.stdout!.on("data", (d) => {
      this.seen += d.toString().replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "");
    });
    this.exitCode = new Promise((resolve) =>
      this.proc.on("exit", (code) => resolve(code ?? -1)));
  }

  /** Everything the terminal has shown so far. */
  get screen(): string {
    return this.seen;
  }

  /** Types `text` (use "\r" for Enter, "\x03" for Ctrl-C, "\x04" for Ctrl-D). */
  type(text: string): void {
    this.proc.stdin!.write(text);
  }

  /** Waits until the output after `from` matches `pattern`. */
  async waitFor(pattern: RegExp, from = 0, timeoutMs = 15_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const text = this.seen.slice(from);
      if (pattern.test(text)) return text;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`timed out waiting for ${pattern}; screen:\n${this.seen}`);
  }

  /** Position to wait from: only output after this counts. */
  mark(): number {
    return this.seen.length;
  }

  async exit(): Promise<number> {
    return this.exitCode;
  }

  kill(): void {
    if (this.proc.exitCode === null) this.proc.kill("SIGKILL");
  }
}
