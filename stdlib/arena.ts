// Memory for a new process's call chain. Everything the child touches
// before execve — contexts, stacks, strings, argv, errno slots — must live
// in memory nsrepl mapped itself: V8's heap is MADV_DONTFORK, so a Buffer
// or a koffi temporary would simply be missing in the child.
//
// One arena is reused for every launch. A child cloned without CLONE_VM
// has a copy-on-write copy of it; one that shares nsrepl's memory is done
// with it once it has exec'd or exited, which the launcher waits for
// before it returns (sharing.ts).

import { mapMemory, mapSharedMemory, memoryView, unmapMemory } from
  "./libc.js";

const INITIAL_SIZE = 1 << 20;

/** An arena's contents and layout at one moment. */
export interface ArenaImage {
  base: number;
  used: number;
  bytes: Uint8Array;
}

/** A bump allocator over one private anonymous mapping. */
export class Arena {
  base = 0;
  size = 0;
  private used = 0;
  private bytes = new Uint8Array(0);
  private data = new DataView(new ArrayBuffer(0));

  /**
   * `shared`: a MAP_SHARED mapping, which a fork shares instead of copying
   * (the zygote's, zygote.ts).
   */
  constructor(readonly shared = false) {}

  /** Starts a new layout with at least `size` bytes; old addresses die. */
  reset(size = 0): void {
    if (size > this.size) this.remap(size);
    this.used = 0;
  }

  private remap(size: number): void {
    const wanted = Math.max(INITIAL_SIZE, roundUp(size * 2, 1 << 16));
    if (this.base) unmapMemory(this.base, this.size);
    this.base = this.shared ? mapSharedMemory(wanted) : mapMemory(wanted);
    this.size = wanted;
    const buffer = memoryView(this.base, wanted);
    this.bytes = new Uint8Array(buffer);
    this.data = new DataView(buffer);
  }

  /** Unmaps it; the arena is empty again (and may be used anew). */
  release(): void {
    if (this.base) unmapMemory(this.base, this.size);
    this.base = 0;
    this.size = 0;
    this.used = 0;
  }

  /** A copy of everything laid out so far, to restore() later. */
  snapshot(): ArenaImage {
    return { base: this.base, used: this.used,
      bytes: this.bytes.slice(0, this.used) };
  }

  /**
   * Puts back a layout taken by snapshot(), addresses and all; false if
   * the arena has been remapped since, which moved every address.
   */
  restore(image: ArenaImage): boolean {
    if (image.base !== this.base) return false;
    this.bytes.set(image.bytes);
    this.used = image.used;
    return true;
  }

  /** `length` bytes aligned to `align`, zeroed unless told not to. */
  alloc(length: number, align = 16, zero = true): number {
    const offset = roundUp(this.used, align);
    if (offset + length > this.size) {
      throw new Error(`arena overflow: ${offset + length} > ${this.size}`);
    }
    this.used = offset + length;
    if (zero) this.bytes.fill(0, offset, offset + length);
    return this.base + offset;
  }

  /** A NUL-terminated copy of `text`. */
  cstring(text: string): number {
    const encoded = Buffer.from(text, "utf8");
    const addr = this.alloc(encoded.length + 1, 1);
    this.bytes.set(encoded, addr - this.base);
    return addr;
  }

  /** A NULL-terminated array of pointers. */
  pointers(addrs: number[]): number {
    const addr = this.alloc((addrs.length + 1) * 8, 8);
    addrs.forEach((a, i) => this.setU64(addr + i * 8, a));
    return addr;
  }

  /** A NULL-terminated argv/envp array of fresh C strings. */
  strings(texts: string[]): number {
    return this.pointers(texts.map((t) => this.cstring(t)));
  }

  setU64(addr: number, value: number): void {
    this.data.setBigUint64(addr - this.base, BigInt(value), true);
  }

  setU32(addr: number, value: number): void {
    this.data.setUint32(addr - this.base, value, true);
  }

  /** Copies `data` to `addr`. */
  write(addr: number, data: Uint8Array): void {
    this.bytes.set(data, addr - this.base);
  }

  fill(addr: number, length: number, byte: number): void {
    this.bytes.fill(byte, addr - this.base, addr - this.base + length);
  }

  u32(addr: number): number {
    return this.data.getUint32(addr - this.base, true);
  }

  /** A copy of `length` bytes at `addr`. */
  read(addr: number, length: number): Buffer {
    const offset = addr - this.base;
    return Buffer.from(this.bytes.subarray(offset, offset + length));
  }
}

/** Bytes `texts` need as C strings, for sizing an arena up front. */
export function cstringBytes(texts: string[]): number {
  let total = 0;
  for (const t of texts) total += Buffer.byteLength(t, "utf8") + 1 + 8;
  return total;
}

function roundUp(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}
