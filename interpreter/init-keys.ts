// Keys at the terminal while the init of a pid namespace has it. Ctrl-C,
// Ctrl-\ and Ctrl-Z signal the program's process group, and an init
// without a handler for them survives all three (init-signals.ts): the
// keys seem dead. nsrepl hears each one through a witness in that group
// (tty-witness.ts) and says why. From then on Ctrl-C sends SIGKILL, the
// signal that reaches an init from outside: without it, only another
// terminal could end the program and give this one back.

import type { Child } from "../stdlib/types.js";
import { startWitness } from "../stdlib/tty-witness.js";
import type { Witness } from "../stdlib/tty-witness.js";
import { initDrops, isPidNamespaceInit, isStopped } from "./init-signals.js";

type Key = "SIGINT" | "SIGQUIT" | "SIGTSTP";

// A witness is a fork of nsrepl, which costs about what a whole launch of
// a short program like `clone pid "ps"` does; nobody presses a key in the
// first moment of a program, so one that has ended by then needs none.
const LISTEN_AFTER_MS = 50;

/** Listens for the keys while an init has the terminal. */
export class InitKeys {
  private witness: Witness | null = null;
  private told = false;
  private done = false;
  private timer: NodeJS.Timeout | null = null;

  /** Listens only when `child` is the init of a pid namespace. */
  static watch(child: Child, say: (text: string) => void): InitKeys | null {
    if (!isPidNamespaceInit(child.pid)) return null;
    const keys = new InitKeys(child, say);
    keys.timer = setTimeout(() => keys.listen(), LISTEN_AFTER_MS);
    return keys;
  }

  private constructor(
    private child: Child,
    private say: (text: string) => void,
  ) {}

  /** The program no longer has the terminal. */
  stop(): void {
    this.done = true;
    if (this.timer) clearTimeout(this.timer);
    this.witness?.end();
    this.witness = null;
  }

  // A witness hears one key, by ending or stopping; a new one follows.
  // One that cannot be started leaves the keys unexplained, nothing worse.
  private listen(): void {
    if (this.done) return;
    try {
      this.witness = startWitness(this.child.pid);
    } catch {
      return;
    }
    const w = this.witness;
    // Stopped by Ctrl-Z: SIGCHLD comes for a stop too (terminal.ts).
    const check = () => {
      if (isStopped(w.pid)) this.heard(w, "SIGTSTP");
    };
    process.on("SIGCHLD", check);
    void w.exited.then(({ signal }) => {
      process.off("SIGCHLD", check);
      if (signal === "SIGINT" || signal === "SIGQUIT") this.heard(w, signal);
    });
  }

  private heard(w: Witness, key: Key): void {
    if (w !== this.witness) return;
    w.end();
    this.witness = null;
    this.answer(key);
    this.listen();
  }

  // The terminal has echoed the key (^C) and left the cursor after it.
  private answer(key: Key): void {
    const pid = this.child.pid;
    if (!initDrops(pid, key)) return;
    if (key === "SIGINT" && this.told) {
      this.say("");
      this.child.kill("SIGKILL");
      return;
    }
    this.told = true;
    const again = key === "SIGINT" ? "again" : "now";
    this.say(`\n[${key} dropped: PID 1 of a pid namespace gets only the ` +
      `signals it handles]\n[Ctrl-C ${again} sends SIGKILL to process ${pid}]`);
  }
}
