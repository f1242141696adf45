// The list of live children: order, removal from anywhere, and links
// that hold nothing once removed.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { LiveList } from "../../stdlib/live-list.js";

const test = suite("live-list");

const items = (...names: string[]) => names.map((name) => ({ name }));
const names = (list: LiveList<{ name: string }>) =>
  list.values().map((v) => v.name);

test("items come back in the order added, and size counts them", () => {
  const list = new LiveList<{ name: string }>();
  for (const item of items("a", "b", "c")) list.add(item);
  assert.equal(names(list), ["a", "b", "c"]);
  assert.is(list.size, 3);
});

test("an item leaves from the front, the middle or the end", () => {
  const list = new LiveList<{ name: string }>();
  const [a, b, c, d] = items("a", "b", "c", "d").map((i) => list.add(i));
  assert.ok(list.remove(b));
  assert.equal(names(list), ["a", "c", "d"]);
  assert.ok(list.remove(a));
  assert.ok(list.remove(d));
  assert.equal(names(list), ["c"]);
  assert.ok(list.remove(c));
  assert.equal(names(list), []);
  assert.is(list.size, 0);
});

test("removing twice is harmless, and a removed link holds nothing", () => {
  const list = new LiveList<{ name: string }>();
  const a = list.add({ name: "a" });
  list.add({ name: "b" });
  assert.ok(list.remove(a));
  assert.not.ok(list.remove(a));
  assert.equal([a.value, a.prev, a.next], [null, null, null]);
  assert.equal(names(list), ["b"]);
});

test("values may be removed while they are walked, and clear empties", () => {
  const list = new LiveList<{ name: string }>();
  const links = items("a", "b", "c").map((i) => list.add(i));
  for (const v of list.values()) {
    if (v.name !== "b") list.remove(links.find((l) => l.value === v)!);
  }
  assert.equal(names(list), ["b"]);
  list.clear();
  assert.is(list.size, 0);
  assert.equal(list.values(), []);
});

test.run();
