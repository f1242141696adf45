// Inputs for the grammar fuzzer: real scripts (examples, language tests)
// cut, spliced and sprinkled with tokens, from a seeded generator so a
// failure can be replayed.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** A small deterministic generator (mulberry32). */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = [
  "clone", "unshare", "setns", "spawn", "pid", "mnt", "net", "user", "all",
  "map root", "mount proc", "&", "{", "}", "(", ")", "[", "]", ",", ";",
  "\n", '"', "'", "${", "\\", "#", "let", "fn", "if", "else", "for", "in",
  "while", "try", "catch", "expect", "ns", "compare", "host", "==", "+",
  "-", "not", "and", ".", "0", "99999999999999999999", "\"${x}\"", "=",
];

/** Every .ns script under the given folders, as the corpus. */
export function corpus(root: string, dirs: string[]): string[] {
  const texts: string[] = [];
  for (const dir of dirs) {
    for (const name of readdirSync(join(root, dir))) {
      if (name.endsWith(".ns")) texts.push(readFileSync(join(root, dir, name), "utf8"));
    }
  }
  return texts;
}

/** One mutated script. */
export function mutate(texts: string[], rnd: () => number): string {
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
  let s = pick(texts);
  const rounds = 1 + Math.floor(rnd() * 6);
  for (let i = 0; i < rounds; i++) s = step(s, pick(texts), rnd, pick);
  return s;
}

function step(
  s: string, other: string, rnd: () => number,
  pick: <T>(xs: T[]) => T,
): string {
  const at = Math.floor(rnd() * (s.length + 1));
  const len = Math.floor(rnd() * 40);
  switch (Math.floor(rnd() * 5)) {
    case 0: return s.slice(0, at) + s.slice(at + len);
    case 1: return s.slice(0, at) + pick(PIECES) + s.slice(at);
    case 2: {
      const from = Math.floor(rnd() * other.length);
      return s.slice(0, at) + other.slice(from, from + len * 4) + s.slice(at);
    }
    case 3: return s.slice(0, at) + s.slice(at, at + len).repeat(3) + s.slice(at);
    default: return s.slice(0, at) + String.fromCharCode(rnd() * 0x2ff) + s.slice(at);
  }
}
