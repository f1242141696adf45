// Medians and the result table shared by the benchmarks.

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** One result: a ratio against a reference measured in the same run. */
export function row(name, ours, reference, target) {
  return { name, ours, reference, ratio: ours / reference, target };
}

export function printTable(rows) {
  const head = ["case", "nsrepl ms", "reference ms", "ratio", "target", "met"];
  const lines = rows.map((r) => [
    r.name, r.ours.toFixed(2), r.reference.toFixed(2), r.ratio.toFixed(2),
    `<= ${r.target}`, r.ratio <= r.target ? "yes" : "NO",
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (cells) => cells.map((c, i) => c.padEnd(widths[i])).join("  ");
  console.log(fmt(head));
  for (const l of lines) console.log(fmt(l));
}
