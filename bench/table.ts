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
  /** The figures behind the row, as numbers, for bench/results.json. */
  figures?: Record<string, unknown>;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(
    sorted.length - 1,
    Math.ceil((p / 100) * sorted.length) - 1,
  );
  return sorted[Math.max(0, index)];
}

/** The middle value; with an even count, the mean of the two middle ones. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? sorted[mid]
    : (sorted[mid - 1] + sorted[mid]) / 2;
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

/**
 * Writes every row, with its figures, to bench/results.json (not committed)
 * so that a script can compare runs.
 */
export async function writeResults(rows: Row[]) {
  const file = new URL("./results.json", import.meta.url);
  await Deno.writeTextFile(
    file,
    JSON.stringify(
      {
        date: new Date().toISOString(),
        deno: Deno.version.deno,
        cores: navigator.hardwareConcurrency,
        rows,
      },
      null,
      2,
    ) + "\n",
  );
  return file.pathname;
}
