/**
 * The administrator's basics against the running server: deactivating a
 * doctor ends their sign-ins at once (pages, API and the live waiting-room
 * stream), a new password and "end sign-ins" do too, nobody else may do any
 * of it, bad input changes nothing, and every action is in the audit trail.
 */
import assert from "node:assert/strict";
import { within } from "@/lib/time_limit.ts";
import { listAudit } from "@/lib/store/audit.ts";
import { findDoctorByEmail } from "@/lib/store/doctors.ts";
import {
  addDoctor,
  ADMIN,
  Client,
  snapshot,
  startServer,
  type TestServer,
} from "./helpers/server.ts";

/** Opens the doctor's waiting-room stream; resolves when the server ends it. */
async function openStream(doctor: Client) {
  const res = await doctor.fetch("/api/waiting-room/events");
  assert.equal(res.status, 200);
  const reader = res.body!.getReader();
  const ended = (async () => {
    while (!(await reader.read()).done) {
      // events and keep-open comments
    }
    return "ended";
  })();
  return {
    ended,
    cancel: () => reader.cancel().catch(() => {}),
  };
}

async function act(
  admin: Client,
  fields: Record<string, string>,
): Promise<Response> {
  const res = await admin.form("/doctors", fields);
  await res.body?.cancel();
  return res;
}

async function idOf(server: TestServer, email: string) {
  return (await findDoctorByEmail(server.kv, email))!.id;
}

Deno.test("an administrator deactivates, resets and ends a doctor's sign-ins, at once", async (t) => {
  const server = await startServer({ SIGNALING_KEEPALIVE_SECONDS: "0.1" });
  try {
    const admin = await new Client(server.url).signIn();
    const adminId = await idOf(server, ADMIN.email);
    const doctor = await addDoctor(admin, "second@clinic.test");
    const doctorId = await idOf(server, "second@clinic.test");

    await t.step(
      "deactivation ends the pages, the API and the stream",
      async () => {
        const stream = await openStream(doctor);
        const res = await act(admin, { action: "deactivate", doctorId });
        assert.equal(res.status, 303);
        assert.equal(
          await within(stream.ended, 5000, "the stream did not end"),
          "ended",
        );
        const page = await doctor.fetch("/dashboard");
        assert.equal(page.status, 303);
        // Their sign-in ended: they are told so, and come back here after.
        assert.equal(
          page.headers.get("location"),
          "/login?next=%2Fdashboard&reason=ended",
        );
        await page.body?.cancel();
        const api = await doctor.fetch("/api/appointments");
        assert.equal(api.status, 401);
        await api.body?.cancel();
        const again = await new Client(server.url).form("/login", {
          email: "second@clinic.test",
          password: "second@clinic.test-password",
        });
        assert.equal(again.status, 403);
        assert.match(await again.text(), /deactivated/);
      },
    );

    await t.step(
      "reactivated, then a new password ends the old sign-in",
      async () => {
        assert.equal(
          (await act(admin, { action: "reactivate", doctorId })).status,
          303,
        );
        const back = await new Client(server.url).signIn(
          "second@clinic.test",
          "second@clinic.test-password",
        );
        const stream = await openStream(back);
        const res = await act(admin, {
          action: "reset-password",
          doctorId,
          password: "a brand new password",
        });
        assert.equal(res.status, 303);
        await within(stream.ended, 5000, "the stream did not end");
        const page = await back.fetch("/dashboard");
        assert.equal(page.status, 303);
        await page.body?.cancel();
        await assert.rejects(() =>
          new Client(server.url).signIn(
            "second@clinic.test",
            "second@clinic.test-password",
          )
        );
        const fresh = await new Client(server.url).signIn(
          "second@clinic.test",
          "a brand new password",
        );
        const freshStream = await openStream(fresh);
        assert.equal(
          (await act(admin, { action: "end-sessions", doctorId })).status,
          303,
        );
        await within(freshStream.ended, 5000, "the stream did not end");
        const ended = await fresh.fetch("/api/appointments");
        assert.equal(ended.status, 401);
        await ended.body?.cancel();
      },
    );

    await t.step("each action is audited with the administrator", async () => {
      const trail = (await listAudit(server.kv, { limit: 200 })).items
        .filter((e) => e.subject === doctorId && e.action.startsWith("doctor."))
        .reverse();
      assert.deepEqual(trail.map((e) => e.action), [
        "doctor.created",
        "doctor.deactivated",
        "doctor.reactivated",
        "doctor.password_reset",
        "doctor.sessions_ended",
      ]);
      assert.ok(
        trail.every((e) =>
          e.actor.kind === "doctor" && e.actor.id === adminId &&
          e.address === "127.0.0.1"
        ),
      );
    });

    await t.step(
      "nobody else may, nor the administrator on their own account",
      async () => {
        const other = await addDoctor(admin, "third@clinic.test", "Dr Third");
        const before = await snapshot(server.kv);
        const actions = (target: string): Record<string, string>[] => [
          { action: "deactivate", doctorId: target },
          { action: "reactivate", doctorId: target },
          { action: "end-sessions", doctorId: target },
          {
            action: "reset-password",
            doctorId: target,
            password: "x".repeat(12),
          },
        ];
        const adding = {
          name: "Dr Fourth",
          email: "fourth@clinic.test",
          password: "x".repeat(12),
        };
        for (
          const fields of [...actions(adminId), ...actions(doctorId), adding]
        ) {
          const res = await act(other, fields);
          assert.equal(res.status, 403, JSON.stringify(fields));
        }
        const page = await other.fetch("/doctors");
        assert.equal(page.status, 403);
        await page.body?.cancel();
        const own = await act(admin, {
          action: "deactivate",
          doctorId: adminId,
        });
        assert.equal(own.status, 400);
        for (const fields of [...actions(doctorId), adding]) {
          for (
            const headers of <Record<string, string>[]> [
              { origin: "https://evil.example" },
              { "sec-fetch-site": "cross-site" },
              {
                "sec-fetch-site": "same-site",
                origin: "https://x.clinic.test",
              },
            ]
          ) {
            const crossSite = await admin.fetch("/doctors", {
              method: "POST",
              headers,
              body: new URLSearchParams(fields),
            });
            assert.equal(crossSite.status, 403, JSON.stringify(headers));
            await crossSite.body?.cancel();
          }
        }
        for (
          const fields of <Record<string, string>[]> [
            { action: "deactivate" },
            { action: "deactivate", doctorId: "../../etc" },
            { action: "deactivate", doctorId: `${doctorId}\n` },
            { action: "reactivate", doctorId: "" },
            { action: "explode", doctorId },
            { action: "Deactivate", doctorId },
            { action: "", doctorId },
            { action: "reset-password", doctorId },
            { action: "reset-password", doctorId, password: "short" },
            {
              action: "reset-password",
              doctorId,
              password: "x".repeat(10_000),
            },
            { action: "deactivate", doctorId: "0".repeat(32) },
            { action: "end-sessions", doctorId: "0".repeat(32) },
          ]
        ) {
          const res = await act(admin, fields);
          assert.ok([400, 404].includes(res.status), JSON.stringify(fields));
        }
        assert.equal(await snapshot(server.kv), before, "nothing changed");
      },
    );
  } finally {
    await server.close();
  }
});

Deno.test("two administrators deactivating each other at once leave one of them", async () => {
  const server = await startServer();
  try {
    const first = await new Client(server.url).signIn();
    const added = await first.form("/doctors", {
      name: "Dr Admin Two",
      email: "admin2@clinic.test",
      password: "admin-two-password",
      isAdmin: "on",
    });
    await added.body?.cancel();
    const second = await new Client(server.url).signIn(
      "admin2@clinic.test",
      "admin-two-password",
    );
    const [firstId, secondId] = [
      await idOf(server, ADMIN.email),
      await idOf(server, "admin2@clinic.test"),
    ];
    const outcomes = await Promise.all([
      act(first, { action: "deactivate", doctorId: secondId }),
      act(second, { action: "deactivate", doctorId: firstId }),
    ]).then((all) =>
      all.map((r) => `${r.status} ${r.headers.get("location") ?? ""}`)
    );
    const done = outcomes.filter((o) => o === "303 /doctors?done=deactivate");
    assert.equal(done.length, 1, outcomes.join());
    // The other was refused, or found itself signed out first.
    assert.ok(
      outcomes.some((o) =>
        o === "403 " || o === "303 /login?next=%2Fdoctors&reason=ended"
      ),
      outcomes.join(),
    );
    const active = [
      (await findDoctorByEmail(server.kv, ADMIN.email))!.active,
      (await findDoctorByEmail(server.kv, "admin2@clinic.test"))!.active,
    ];
    assert.equal(active.filter(Boolean).length, 1);
  } finally {
    await server.close();
  }
});

Deno.test("the waiting-room stream ends when its doctor signs out", async () => {
  const server = await startServer({ SIGNALING_KEEPALIVE_SECONDS: "0.1" });
  try {
    const doctor = await new Client(server.url).signIn();
    const stream = await openStream(doctor);
    const out = await doctor.fetch("/logout", { method: "POST" });
    await out.body?.cancel();
    assert.equal(
      await within(stream.ended, 5000, "the stream did not end"),
      "ended",
    );
  } finally {
    await server.close();
  }
});
