/**
 * A small seeded generator (mulberry32) for the fuzz tests, so that a
 * failing run can be replayed from the seed it printed.
 *
 * @module
 */
export function generator(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(items: readonly T[]): T =>
    items[Math.floor(next() * items.length)];
  const chance = (p: number) => next() < p;
  const hex = (n: number) =>
    Array.from({ length: n }, () => Math.floor(next() * 16).toString(16))
      .join("");
  return { next, pick, chance, hex };
}
export type Random = ReturnType<typeof generator>;
