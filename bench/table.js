// Medians and the result table shared by the benchmarks.

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** A ratio against a reference measured in the same run: at most target. */
export function row(name, ours, reference, target) {
  const value = ours / reference;
  return { name, ours, reference, value, shown: value.toFixed(2),
    target: `<= ${+target.toFixed(2)}`, met: value <= target };
}

/** A rate measured on its own, `ms` for `amount`: at least target. */
export function rate(name, ms, amount, unit, target) {
  const value = amount / (ms / 1000);
  return { name, ours: ms, reference: null, value,
    shown: `${value.toFixed(2)} ${unit}`, target: `>= ${target}`,
    met: value >= target };
}

export function printTable(rows) {
  const head = ["case", "nsrepl", "reference", "value", "target", "met"];
  const lines = rows.map((r) => [
    r.name, r.ours.toFixed(2), r.reference?.toFixed(2) ?? "-", r.shown,
    r.target, r.met ? "yes" : "NO",
  ]);
  const widths = head.map((h, i) =>
    Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (cells) => cells.map((c, i) => c.padEnd(widths[i])).join("  ");
  console.log(fmt(head));
  for (const l of lines) console.log(fmt(l));
}
