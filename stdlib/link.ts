// Network links of the namespace the calling process is in. Only the
// helper process calls this, from inside the namespace it acts on.

import { SyscallError } from "./errors.js";
import { setLinkUp } from "./libc.js";

/** Brings `name` up; returns null, or the errno name and text on failure. */
export function linkUp(name: string): string | null {
  try {
    setLinkUp(name);
    return null;
  } catch (error) {
    if (error instanceof SyscallError) return `${error.code} (${error.text})`;
    throw error;
  }
}
