import assert from "node:assert/strict";
import { visit } from "@/lib/i18n/text/visit.ts";
import { announcement, countdown } from "./countdown.ts";

const en = visit.en;

Deno.test("the countdown shows hours, then minutes and seconds", () => {
  assert.equal(countdown(3_900_000, en), "1 h 5 min");
  assert.equal(countdown(252_000, en), "4 min 12 s");
  assert.equal(countdown(8_200, en), "9 s");
  assert.equal(countdown(-5, en), "0 s");
});

Deno.test("the announcement changes once a minute in the last ten, not every second", () => {
  assert.equal(announcement(3_600_000, "early", en), "");
  assert.equal(announcement(10 * 60_000 + 1, "early", en), "");
  assert.equal(
    announcement(10 * 60_000, "early", en),
    "The call opens in 10 min.",
  );
  // Every second of one minute says the same, so nothing is spoken again.
  const said = new Set<string>();
  for (let ms = 4 * 60_000; ms > 3 * 60_000; ms -= 1000) {
    said.add(announcement(ms, "early", en));
  }
  assert.deepEqual([...said], ["The call opens in 4 min."]);
  assert.equal(announcement(500, "early", en), "The call opens in 1 min.");
  assert.equal(
    announcement(0, "open", en),
    "The call is open: you can join now.",
  );
  assert.equal(announcement(0, "over", en), "");
  assert.equal(
    announcement(0, "open", visit.es),
    "La llamada está abierta: ya puede entrar.",
  );
});
