// The children still running, kept where every launch adds one and every
// exit removes one. Not in a Map or Set: a long-lived one ends up in V8's
// old space, and from then on each rehash that adds and deletes bring
// about allocates the new table in the old space too. The dead tables
// also keep, until the next full GC, the entries they held, so the
// scavenger promotes every young value ever put in: the process value, its
// child, the closures and promises behind them. At one add and one delete
// per spawn that was most of what a spawn left in the old space (bench/
// memory.js). A linked list changes fields of the items it holds and
// allocates only the link.

/** One item's place in a LiveList; `remove` takes it. */
export interface Link<T extends object> {
  value: T | null;
  prev: Link<T> | null;
  next: Link<T> | null;
}

/** Items in the order added; add and remove allocate nothing but a link. */
export class LiveList<T extends object> {
  private head: Link<T> | null = null;
  private tail: Link<T> | null = null;
  private count = 0;

  get size(): number {
    return this.count;
  }

  add(value: T): Link<T> {
    const link: Link<T> = { value, prev: this.tail, next: null };
    if (this.tail) this.tail.next = link;
    else this.head = link;
    this.tail = link;
    this.count++;
    return link;
  }

  /** Takes `link` out; false if it was out already. */
  remove(link: Link<T>): boolean {
    if (link.value === null) return false;
    if (link.prev) link.prev.next = link.next;
    else this.head = link.next;
    if (link.next) link.next.prev = link.prev;
    else this.tail = link.prev;
    this.count--;
    // A removed link may have reached the old space (a long-running
    // background child); cleared, it holds no young object alive.
    link.value = link.prev = link.next = null;
    return true;
  }

  /** The items, copied: the caller may remove while it walks them. */
  values(): T[] {
    return this.links().map((l) => l.value!);
  }

  clear(): void {
    for (const link of this.links()) this.remove(link);
  }

  private links(): Link<T>[] {
    const out: Link<T>[] = [];
    for (let l = this.head; l; l = l.next) out.push(l);
    return out;
  }
}
