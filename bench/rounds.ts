/**
 * Beating a shared machine's noise by method: contenders take turns
 * (A B C A B C …) so that a slow moment falls on all of them, and each
 * ratio is taken within a round, then reported as the median over the
 * rounds with the lowest and highest.
 *
 * @module
 */
import { median } from "./table.ts";

/** At least this many rounds for every ratio the table reports. */
export const ROUNDS = 5;

/**
 * Runs every contender once per round, in the order given, `rounds` times;
 * answers each contender's results in round order.
 */
export async function interleave<T>(
  rounds: number,
  contenders: Record<string, () => Promise<T>>,
): Promise<Record<string, T[]>> {
  const results: Record<string, T[]> = {};
  for (const name of Object.keys(contenders)) results[name] = [];
  for (let round = 0; round < rounds; round++) {
    for (const [name, run] of Object.entries(contenders)) {
      results[name].push(await run());
    }
  }
  return results;
}

/** A figure over the rounds: median, lowest and highest. */
export interface Spread {
  median: number;
  min: number;
  max: number;
  rounds: number[];
}

export function spreadOf(values: number[]): Spread {
  return {
    median: median(values),
    min: Math.min(...values),
    max: Math.max(...values),
    rounds: values,
  };
}

/** `a[i] / b[i]` round by round: a ratio measured within each round. */
export function ratiosOf(a: number[], b: number[]): Spread {
  return spreadOf(a.map((value, i) => value / b[i]));
}

/** "1.04× (0.98–1.10)" or, with a unit, "12.3 ms (11.0–14.2)". */
export function showSpread(s: Spread, digits: number, unit = "×"): string {
  const f = (v: number) => v.toFixed(digits);
  return unit === "×"
    ? `${f(s.median)}× (${f(s.min)}–${f(s.max)})`
    : `${f(s.median)} ${unit} (${f(s.min)}–${f(s.max)})`;
}
