// The REPL's terminal, shared with the programs it runs. A program run in
// the foreground gets the terminal the way a shell gives it to a job: its
// own process group is put in front (the launcher does that before the
// program may run), so Ctrl-C and Ctrl-Z reach it and not nsrepl. When it
// exits or stops, nsrepl takes the terminal back and restores the modes
// it had: a program that died in raw mode leaves no broken terminal.
//
// A stopped program (Ctrl-Z) is left stopped: nsrepl says so and gives
// the prompt back, and `.fg` continues it in front. Waiting on in the
// background instead would leave the terminal to nobody, and continuing
// it at once would make Ctrl-Z useless.

import type { Child } from "../stdlib/types.js";
import type { ForegroundTerminal } from "./host.js";
import {
  giveTerminal, ownsTerminal, reclaimTerminal, setTerminalModes,
  terminalModes, withSignalsBlocked,
} from "../stdlib/libc.js";
import { InitKeys } from "./init-keys.js";
import { isStopped } from "./init-signals.js";

export class Terminal implements ForegroundTerminal {
  /**
   * The terminal's cooked modes, read when the first program is given the
   * terminal (readline is out of raw mode then): an idle REPL never loads
   * koffi. undefined: not read yet; null: not a terminal.
   */
  private modes: Buffer | null | undefined;
  /** Programs stopped at the terminal, the most recent last. */
  readonly stopped: Child[] = [];

  /** `note` reports a stop. */
  constructor(
    readonly fd: number,
    private note: (text: string) => void,
  ) {}

  ttyForPrograms(): number | null {
    if (this.modes === undefined) this.modes = terminalModes(this.fd);
    return this.modes && ownsTerminal(this.fd) ? this.fd : null;
  }

  async wait(child: Child): Promise<boolean> {
    const keys = InitKeys.watch(child, (text) => this.aside(text));
    const how = await exitOrStop(child);
    keys?.stop();
    this.takeBack();
    if (how === "exited") return true;
    this.stopped.push(child);
    void child.exited.then(() => this.drop(child));
    // The terminal echoed ^Z, and left the cursor after it.
    this.note(`\n[stopped, pid ${child.pid}: .fg continues it]`);
    return false;
  }

  // Said while the program has the terminal, where nsrepl's group is in
  // the background: after `stty tostop` the kernel would stop nsrepl for
  // the write (SIGTTOU), or fail it (EIO), unless the signal is blocked.
  private aside(text: string): void {
    withSignalsBlocked(() => this.note(text));
  }

  /** nsrepl's group in front again, and the terminal's modes as before. */
  takeBack(): void {
    if (!this.modes) return;
    reclaimTerminal(this.fd);
    setTerminalModes(this.fd, this.modes);
  }

  /** The stopped program `pid`, or the latest; off the list. */
  takeStopped(pid?: number): Child | null {
    const i = pid === undefined ? this.stopped.length - 1
      : this.stopped.findIndex((child) => child.pid === pid);
    if (i < 0) return null;
    return this.stopped.splice(i, 1)[0];
  }

  /** Continues a stopped program in front; true once it has exited. */
  resume(child: Child): Promise<boolean> {
    giveTerminal(this.fd, child.pid);
    // The whole group: a pipeline run by `sh -c` stopped as a whole.
    process.kill(-child.pid, "SIGCONT");
    return this.wait(child);
  }

  private drop(child: Child): void {
    const i = this.stopped.indexOf(child);
    if (i >= 0) this.stopped.splice(i, 1);
  }

  /** Forgets the stopped programs (their session has ended them). */
  forget(): void {
    this.stopped.length = 0;
  }
}

// The pidfd polls readable only at exit, so a stop is learnt from
// SIGCHLD, which the kernel also sends when a child stops (libuv does not
// ask for SA_NOCLDSTOP), and checked in /proc: nothing is reaped here.
function exitOrStop(child: Child): Promise<"exited" | "stopped"> {
  return new Promise((resolve) => {
    const check = () => {
      if (isStopped(child.pid)) done("stopped");
    };
    const done = (how: "exited" | "stopped") => {
      process.off("SIGCHLD", check);
      resolve(how);
    };
    process.on("SIGCHLD", check);
    void child.exited.then(() => done("exited"));
    check();
  });
}

interface Ended {
  status: number | null;
  signal: string | null;
}

/**
 * How a program ended, when that is news: `[status 1]`, `[SIGTERM]`.
 * After Ctrl-C or Ctrl-\ the terminal echoed ^C or ^\: a new line first.
 */
export function exitNote(exit: Ended): string | null {
  if (exit.signal) {
    const typed = exit.signal === "SIGINT" || exit.signal === "SIGQUIT";
    return `${typed ? "\n" : ""}[${exit.signal}]`;
  }
  return exit.status ? `[status ${exit.status}]` : null;
}
