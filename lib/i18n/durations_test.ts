import assert from "node:assert/strict";
import { formatIn, formatSpan } from "./durations.ts";

Deno.test("how far ahead, and how long, in the patient's language", () => {
  const cases: [number, string, string, string, string][] = [
    [86_400_000, "tomorrow", "mañana", "1 day", "1 día"],
    [3_600_000, "in 1 hour", "dentro de 1 hora", "1 hour", "1 hora"],
    [
      90 * 60_000,
      "in 90 minutes",
      "dentro de 90 minutos",
      "90 minutes",
      "90 minutos",
    ],
    [
      30 * 3_600_000,
      "in 30 hours",
      "dentro de 30 horas",
      "30 hours",
      "30 horas",
    ],
    [
      20 * 60_000,
      "in 20 minutes",
      "dentro de 20 minutos",
      "20 minutes",
      "20 minutos",
    ],
    [3_000, "in 3 seconds", "dentro de 3 segundos", "3 seconds", "3 segundos"],
  ];
  for (const [ms, inEn, inEs, spanEn, spanEs] of cases) {
    assert.equal(formatIn(ms, "en"), inEn);
    assert.equal(formatIn(ms, "es"), inEs);
    assert.equal(formatSpan(ms, "en"), spanEn);
    assert.equal(formatSpan(ms, "es"), spanEs);
  }
});
