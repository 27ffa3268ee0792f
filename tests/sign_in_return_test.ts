/**
 * Signing in returns to the page that asked for it, saying why; a `next`
 * that leads anywhere but this site is ignored; the JSON API still answers
 * 401; and a doctor's open call keeps their sign-in alive past the idle
 * time (shortened here), while one without a call lapses.
 */
import assert from "node:assert/strict";
import { ADMIN, Client, startServer } from "./helpers/server.ts";
import { HOSTILE_NEXT } from "./helpers/hostile_next.ts";
import { book } from "./helpers/booked_visits.ts";
import { doctorTicket, join, patientTicket } from "./helpers/signal_client.ts";

const ID = "0123456789abcdef0123456789abcdef";

function signInForm(fields: Record<string, string>) {
  return { email: ADMIN.email, password: ADMIN.password, ...fields };
}

/** Waits `ms` of real time: the sign-in's idle time is real time. */
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

Deno.test("a signed-out browser is sent to sign in, told why, and brought back", async () => {
  const server = await startServer();
  try {
    const browser = new Client(server.url);
    const asked = await browser.fetch(`/sessions/${ID}?tab=notes`);
    assert.equal(asked.status, 303);
    const location = asked.headers.get("location")!;
    assert.equal(
      location,
      `/login?next=%2Fsessions%2F${ID}%3Ftab%3Dnotes&reason=required`,
    );
    const login = await (await browser.fetch(location)).text();
    assert.match(login, /Sign in to continue to the visit report\./);
    assert.match(
      login,
      new RegExp(`name="next" value="/sessions/${ID}\\?tab=notes"`),
    );
    const signedIn = await browser.form(
      "/login",
      signInForm({ next: `/sessions/${ID}?tab=notes`, reason: "required" }),
    );
    assert.equal(signedIn.status, 303);
    assert.equal(
      signedIn.headers.get("location"),
      `/sessions/${ID}?tab=notes`,
    );
    // Signed in already: the sign-in page passes straight on.
    const again = await browser.fetch("/login?next=%2Fhistory");
    assert.equal(again.headers.get("location"), "/history");
    await again.body?.cancel();
    // A failed try keeps where it leads.
    const wrong = await new Client(server.url).form("/login", {
      email: ADMIN.email,
      password: "wrong",
      next: "/history",
    });
    assert.equal(wrong.status, 401);
    assert.match(await wrong.text(), /name="next" value="\/history"/);
    // The JSON API answers 401, never a redirect.
    const api = await new Client(server.url).fetch("/api/appointments");
    assert.equal(api.status, 401);
    assert.equal((await api.json()).error.code, "unauthenticated");
  } finally {
    await server.close();
  }
});

Deno.test("a hostile next never leads off the site", async () => {
  const server = await startServer();
  try {
    for (const next of HOSTILE_NEXT) {
      const page = await (await fetch(
        `${server.url}/login?next=${encodeURIComponent(next)}&reason=required`,
      )).text();
      assert.doesNotMatch(page, /name="next"/, JSON.stringify(next));
      assert.doesNotMatch(page, /evil\.example/, JSON.stringify(next));
      const signedIn = await new Client(server.url).form(
        "/login",
        signInForm({ next }),
      );
      assert.equal(signedIn.status, 303, JSON.stringify(next));
      assert.equal(
        signedIn.headers.get("location"),
        "/dashboard",
        JSON.stringify(next),
      );
      const already = await new Client(server.url).signIn();
      const passOn = await already.fetch(
        `/login?next=${encodeURIComponent(next)}`,
      );
      assert.equal(passOn.headers.get("location"), "/dashboard");
      await passOn.body?.cancel();
    }
    // A made-up reason is no reason: the page still works.
    const odd = await fetch(`${server.url}/login?reason=%3Cscript%3E`);
    assert.equal(odd.status, 200);
    assert.doesNotMatch(await odd.text(), /<script>|sign-in-reason/);
  } finally {
    await server.close();
  }
});

Deno.test("an idle sign-in says so; a doctor in a call stays signed in past the idle time", async () => {
  const server = await startServer({ SIGNALING_KEEPALIVE_SECONDS: "0.25" });
  // A short idle time, as the setting cannot go under a minute; twelve
  // keep-alive rounds of margin, so a slow machine does not end the sign-in.
  server.config.sessionIdleMs = 3_000;
  try {
    const idle = await new Client(server.url).signIn();
    await pause(3_500);
    const lapsed = await idle.fetch(`/sessions/${ID}`);
    assert.equal(
      lapsed.headers.get("location"),
      `/login?next=%2Fsessions%2F${ID}&reason=expired`,
    );
    await lapsed.body?.cancel();
    const told = await (await idle.fetch(lapsed.headers.get("location")!))
      .text();
    assert.match(
      told,
      /Your sign-in ended after 3 seconds without activity; sign in again to continue to the visit report\./,
    );

    // A call three times as long as the idle time, with no page asked.
    const doctor = await new Client(server.url).signIn();
    const visit = await book(doctor, "Long Call Patient");
    const patient = await join(await patientTicket(visit));
    await patient.next("waiting-for-peer");
    const call = await join(await doctorTicket(visit));
    await call.next("peer-joined");
    await pause(9_000);
    call.send({ type: "end-session" });
    await call.next("session-ended");
    await patient.close();
    await call.close();
    const report = await doctor.fetch(`/sessions/${visit.id}`);
    assert.equal(report.status, 200, "still signed in after the call");
    assert.match(await report.text(), /Visit report: Long Call Patient/);

    // Without a call, the same sign-in lapses like any other.
    await pause(3_500);
    const after = await doctor.fetch(`/sessions/${visit.id}`);
    assert.equal(after.status, 303);
    assert.match(after.headers.get("location")!, /reason=expired$/);
    await after.body?.cancel();
  } finally {
    await server.close();
  }
});
