/**
 * The benchmark table: one row a measure, with its target and whether it
 * was met.
 *
 * @module
 */

export interface Row {
  measure: string;
  size: string;
  value: string;
  target: string;
  ok: boolean;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(
    sorted.length - 1,
    Math.ceil((p / 100) * sorted.length) - 1,
  );
  return sorted[Math.max(0, index)];
}

export function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
}

/** The median of some figures, with their spread. */
export function spread(values: number[], digits: number): string {
  const low = Math.min(...values).toFixed(digits);
  const high = Math.max(...values).toFixed(digits);
  return `${median(values).toFixed(digits)} (${low}–${high})`;
}

export function printTable(rows: Row[]) {
  const header = ["measure", "size", "result", "target", "met"];
  const cells = rows.map((
    r,
  ) => [r.measure, r.size, r.value, r.target, r.ok ? "yes" : "NO"]);
  const widths = header.map((h, i) =>
    Math.max(h.length, ...cells.map((c) => c[i].length))
  );
  const line = (c: string[]) =>
    "| " + c.map((v, i) => v.padEnd(widths[i])).join(" | ") + " |";
  console.log(line(header));
  console.log("|" + widths.map((w) => "-".repeat(w + 2)).join("|") + "|");
  for (const c of cells) console.log(line(c));
}
