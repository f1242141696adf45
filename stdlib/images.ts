// Built call chains, kept for the next launch of the same shape. Building
// a chain costs a getcontext and a makecontext through koffi for each of
// its few dozen steps; a script that starts the same command in a loop
// would pay that every time for identical bytes. What the arena holds
// after building depends only on the spec, the fd numbers the child
// inherits, nsrepl's signal dispositions, the session's cgroup and the
// arena's address, so an image taken right after building (reports and
// the path buffer still zero, stacks as makecontext left them) is
// restored whole instead.
// Whole, because a child that ran on the arena has overwritten its
// stacks, reports and path buffer since.

import type { LaunchSpec } from "./types.js";
import { cstringBytes, type Arena, type ArenaImage } from "./arena.js";
import type { Build } from "./steps.js";
import type { SessionCgroup } from "./session-cgroup.js";

interface Built {
  image: ArenaImage;
  build: Build;
  /** clone's argument: the first context. */
  entry: number;
  /** When it was last used: the least recently used is dropped. */
  used: number;
}

let uses = 0;

// About 70 kB each; scripts repeat a handful of shapes at most.
const KEEP = 8;
const built = new Map<string, Built>();

/** What decides the arena's bytes, as a string. */
export function shapeKey(spec: LaunchSpec, fds: number[],
  signals: number[], cgroup: SessionCgroup | null): string {
  const env = envSummary(spec.env).id;
  return JSON.stringify([{ ...spec, env }, fds, signals, cgroup]);
}

/** An environment: a short id for keys, and its size as C strings. */
interface EnvSummary {
  env: string[];
  id: number;
  bytes: number;
  /** Checked: no string of it holds a NUL byte (plan.ts). */
  clean?: boolean;
}

let lastEnv: EnvSummary | null = null;
const envIds = new Map<string, number>();

/**
 * Summarizes `env`, which is most often the very strings of the last
 * launch's (a session hands out copies of one array): comparing them
 * costs less than serializing and measuring them again.
 */
export function envSummary(env: string[]): EnvSummary {
  const last = lastEnv;
  if (last && last.env.length === env.length &&
    env.every((e, i) => e === last.env[i])) return last;
  const text = JSON.stringify(env);
  let id = envIds.get(text);
  if (id === undefined) {
    // Ids only ever grow; a script that builds many environments would
    // grow this map, so it is dropped past a bound (ids stay unique).
    if (envIds.size >= 64) envIds.clear();
    id = nextEnvId++;
    envIds.set(text, id);
  }
  lastEnv = { env, id, bytes: cstringBytes(env) };
  return lastEnv;
}

let nextEnvId = 0;

/** Restores the chains built for `key`, if any; null to build anew. */
export function restoreBuilt(arena: Arena,
  key: string): { build: Build; entry: number } | null {
  const found = built.get(key);
  if (!found || !arena.restore(found.image)) return null;
  // Counted, not moved to the end of the Map: each delete and set of a
  // Map in V8's old space allocates there, and kept every launch's key
  // alive for a while (about 1 MB over 10,000 spawns).
  found.used = ++uses;
  return found;
}

/** Keeps what was just built for `key`. */
export function keepBuilt(arena: Arena, key: string, build: Build,
  entry: number): void {
  built.set(key, { image: arena.snapshot(), build, entry, used: ++uses });
  if (built.size <= KEEP) return;
  let oldest = key;
  for (const [k, b] of built) if (b.used < built.get(oldest)!.used) oldest = k;
  built.delete(oldest);
}
