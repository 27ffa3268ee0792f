import assert from "node:assert/strict";
import { HOSTILE_NEXT } from "@/tests/helpers/hostile_next.ts";
import { pageName, safeNext, signInMessage, signInUrl } from "./return_to.ts";

const ID = "0123456789abcdef0123456789abcdef";

Deno.test("next: a path on this site is kept, normalised", () => {
  assert.equal(safeNext(`/sessions/${ID}`), `/sessions/${ID}`);
  assert.equal(
    safeNext("/history?patient=abc&from=2026-01-01"),
    "/history?patient=abc&from=2026-01-01",
  );
  assert.equal(safeNext("/a/../dashboard"), "/dashboard");
  assert.equal(safeNext("/dashboard#new-visit"), "/dashboard", "no fragment");
});

Deno.test("next: anything else is refused", () => {
  for (const raw of HOSTILE_NEXT) {
    assert.equal(safeNext(raw), null, JSON.stringify(raw));
  }
  for (const raw of [undefined, null, 42, ["/dashboard"], {}]) {
    assert.equal(safeNext(raw), null, String(raw));
  }
});

Deno.test("the sign-in address keeps the page asked for, and why", () => {
  const url = new URL(`http://clinic.test/sessions/${ID}?x=1`);
  assert.equal(
    signInUrl(url, "idle"),
    `/login?next=%2Fsessions%2F${ID}%3Fx%3D1&reason=expired`,
  );
  assert.equal(
    signInUrl(new URL("http://clinic.test/dashboard"), null),
    "/login?next=%2Fdashboard&reason=required",
  );
  assert.match(signInUrl(url, "maximum"), /reason=maximum$/);
  assert.match(signInUrl(url, "gone"), /reason=ended$/);
  const long = new URL(`http://clinic.test/history?q=${"a".repeat(600)}`);
  assert.equal(signInUrl(long, null), "/login?reason=required", "too long");
});

Deno.test("the sign-in page says why, and where it leads", () => {
  const policy = { idleMs: 30 * 60_000, maxMs: 12 * 3_600_000 };
  assert.equal(
    signInMessage("expired", `/sessions/${ID}`, policy),
    "Your sign-in ended after 30 minutes without activity; sign in again to continue to the visit report.",
  );
  assert.equal(
    signInMessage("required", "/dashboard", policy),
    "Sign in to continue to your visits.",
  );
  assert.equal(signInMessage("required", null, policy), "Sign in to continue.");
  assert.match(signInMessage("maximum", null, policy)!, /12 hours/);
  assert.equal(signInMessage(undefined, null, policy), null);
  assert.match(
    signInMessage("expired", null, { idleMs: 5_000, maxMs: 3_600_000 })!,
    /after 5 seconds without activity/,
  );
  assert.equal(pageName(`/appointments/${ID}`), "the visit's page");
  assert.equal(pageName(`/appointments/${ID}/call`), "the visit's call");
  assert.equal(pageName("/somewhere"), "the page you asked for");
});
