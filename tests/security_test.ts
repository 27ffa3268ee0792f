/**
 * Security properties of the running app: headers, the sign-in cookie,
 * cross-site refusal, session expiry, and link
 * tokens that exist only as hashes in the store. Sign-in throttling has its
 * own file (signin_limits_test.ts).
 */
import assert from "node:assert/strict";
import {
  endLoginSession,
  resumeLoginSession,
  startLoginSession,
} from "@/lib/auth/login_sessions.ts";
import {
  ADMIN,
  Client,
  snapshot,
  startIn,
  startServer,
} from "./helpers/server.ts";

Deno.test("pages carry a strict CSP whose nonce is the one on the scripts", async () => {
  const server = await startServer();
  try {
    const doctor = await new Client(server.url).signIn();
    const created = await (await doctor.json("/api/appointments", {
      patientName: "Ada",
      startsAt: startIn(120),
      durationMinutes: 20,
    })).json();
    const res = await fetch(created.visitUrl);
    const html = await res.text();
    const csp = res.headers.get("content-security-policy") ?? "";
    const scriptSrc = /script-src ([^;]+)/.exec(csp)?.[1] ?? "";
    assert.doesNotMatch(scriptSrc, /unsafe-inline|unsafe-eval/);
    const nonce = /'nonce-([^']+)'/.exec(scriptSrc)?.[1];
    assert.ok(nonce);
    const scripts = [
      ...html.matchAll(/<script type="module"[^>]*nonce="([^"]+)"/g),
    ];
    assert.ok(scripts.length > 0);
    for (const s of scripts) assert.equal(s[1], nonce);
    const second = await fetch(created.visitUrl);
    assert.notEqual(
      /'nonce-([^']+)'/.exec(second.headers.get("content-security-policy")!)
        ?.[1],
      nonce,
    );
    await second.body?.cancel();
    assert.equal(
      res.headers.get("permissions-policy")?.match(
        /camera=\([^)]*\)|microphone=\([^)]*\)/g,
      )?.join(","),
      "camera=(self),microphone=(self)",
    );
    assert.equal(res.headers.get("x-frame-options"), "SAMEORIGIN");
    assert.match(csp, /frame-ancestors 'none'/);
    assert.equal(res.headers.get("referrer-policy"), "no-referrer");
    assert.equal(res.headers.get("cache-control"), "no-store");
  } finally {
    await server.close();
  }
});

Deno.test("the sign-in cookie is HttpOnly and SameSite, and Secure behind HTTPS", async () => {
  for (const publicUrl of [undefined, "https://clinic.example"]) {
    const server = await startServer(
      publicUrl ? { PUBLIC_URL: publicUrl } : {},
    );
    try {
      const res = await new Client(server.url).form("/login", ADMIN);
      await res.body?.cancel();
      const cookie = res.headers.get("set-cookie") ?? "";
      assert.match(cookie, /HttpOnly/);
      assert.match(cookie, /SameSite=Lax/);
      assert.match(cookie, /Path=\//);
      if (publicUrl) {
        assert.match(cookie, /^__Host-clinic_session=/);
        assert.match(cookie, /Secure/);
      } else {
        assert.match(cookie, /^clinic_session=[A-Za-z0-9_-]{43};/);
        assert.doesNotMatch(cookie, /Secure/);
      }
    } finally {
      await server.close();
    }
  }
});

Deno.test("cross-site requests are refused and change nothing", async () => {
  const server = await startServer();
  try {
    const doctor = await new Client(server.url).signIn();
    const before = await snapshot(server.kv);
    const evil = {
      "sec-fetch-site": "cross-site",
      origin: "https://evil.example",
    };
    const attempts = [
      doctor.fetch("/api/appointments", {
        method: "POST",
        headers: { ...evil, "content-type": "application/json" },
        body: JSON.stringify({
          patientName: "X",
          startsAt: startIn(60),
          durationMinutes: 20,
        }),
      }),
      doctor.fetch("/dashboard", {
        method: "POST",
        headers: {
          ...evil,
          "content-type": "application/x-www-form-urlencoded",
        },
        body: "patientName=X&startsAt=2030-01-01T10:00&durationMinutes=20",
      }),
      doctor.fetch("/logout", { method: "POST", headers: evil }),
    ];
    for (const res of await Promise.all(attempts)) {
      assert.equal(res.status, 403);
      assert.equal((await res.json()).error.code, "cross_site_request");
    }
    assert.equal(await snapshot(server.kv), before);
    const still = await doctor.fetch("/api/appointments");
    assert.equal(still.status, 200, "the session survived the forged logout");
    await still.body?.cancel();
  } finally {
    await server.close();
  }
});

Deno.test("sessions end after the idle timeout, after the lifetime, and at sign-out", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const policy = { idleMs: 30 * 60_000, maxMs: 12 * 3_600_000 };
    const t0 = Date.UTC(2026, 10, 24, 8);
    const id = await startLoginSession(kv, "doctor-1", policy, t0);
    assert.ok(await resumeLoginSession(kv, id, policy, t0 + 29 * 60_000));
    // Used at 29 minutes, so still alive 29 minutes later.
    assert.ok(await resumeLoginSession(kv, id, policy, t0 + 58 * 60_000));
    assert.equal(
      await resumeLoginSession(kv, id, policy, t0 + 89 * 60_000),
      null,
      "idle",
    );
    assert.equal(
      await resumeLoginSession(kv, id, policy, t0 + 90 * 60_000),
      null,
      "and gone",
    );

    let busy = await startLoginSession(kv, "doctor-1", policy, t0);
    for (let m = 20; m < 12 * 60; m += 20) {
      assert.ok(await resumeLoginSession(kv, busy, policy, t0 + m * 60_000));
    }
    assert.equal(
      await resumeLoginSession(kv, busy, policy, t0 + 12 * 3_600_000),
      null,
      "lifetime",
    );

    busy = await startLoginSession(kv, "doctor-1", policy);
    await endLoginSession(kv, busy);
    assert.equal(
      await resumeLoginSession(kv, busy, policy),
      null,
      "signed out",
    );
    assert.equal(await resumeLoginSession(kv, "forged", policy), null);
  } finally {
    kv.close();
  }
});

Deno.test("visit and patient link tokens exist in the store only as hashes", async () => {
  const server = await startServer();
  try {
    const doctor = await new Client(server.url).signIn();
    const created = await (await doctor.json("/api/appointments", {
      patientName: "Ada",
      patientEmail: "ada@example.org",
      startsAt: startIn(60),
      durationMinutes: 20,
    })).json();
    const visitToken = created.visitUrl.split("/visit/")[1];
    const patientToken = created.patientDashboardUrl.split("/patient/")[1];
    let everything = "";
    for await (const entry of server.kv.list({ prefix: [] })) {
      everything += JSON.stringify([entry.key, entry.value]);
    }
    assert.ok(!everything.includes(visitToken));
    assert.ok(!everything.includes(patientToken));
    assert.ok(
      !everything.includes(doctor.cookie.split("=")[1]),
      "nor the session id",
    );
  } finally {
    await server.close();
  }
});
