/**
 * A doctor's profile against the running server: each doctor sets their own
 * name and title on /profile, an administrator sets anyone's on /doctors,
 * nobody else can, stale and hostile edits change nothing, and patients see
 * "name, title" on their visit page, their personal page and in the call.
 */
import assert from "node:assert/strict";
import { listAudit } from "@/lib/store/audit.ts";
import { findDoctorByEmail, getDoctorEntry } from "@/lib/store/doctors.ts";
import { book } from "./helpers/booked_visits.ts";
import { checkIn } from "./helpers/signal_client.ts";
import {
  addDoctor,
  ADMIN,
  Client,
  snapshot,
  startServer,
  type TestServer,
} from "./helpers/server.ts";

/** The hidden version field of the (first) form on `html`. */
function versionIn(html: string): string {
  const m = /name="version" value="([^"]+)"/.exec(html);
  assert.ok(m, "the form carries the version read");
  return m[1];
}

async function text(res: Response) {
  return await res.text();
}

async function idOf(server: TestServer, email: string) {
  return (await findDoctorByEmail(server.kv, email))!.id;
}

Deno.test("a doctor sets their name and title, and patients see them", async (t) => {
  const server = await startServer();
  try {
    const admin = await new Client(server.url).signIn();
    const adminId = await idOf(server, ADMIN.email);
    const visit = await book(admin, "Grace Patient");

    await t.step(
      "the profile page says how patients see the name",
      async () => {
        const res = await admin.fetch("/profile");
        assert.equal(res.status, 200);
        const html = await text(res);
        // The first doctor's default name is the email's first part.
        assert.match(html, /Patients see you as <strong[^>]*>admin<\/strong>/);
        assert.match(html, /href="\/profile"/, "the menu links to it");
      },
    );

    await t.step("saving shows the new name and title everywhere", async () => {
      const version = versionIn(await text(await admin.fetch("/profile")));
      const res = await admin.form("/profile", {
        name: "  Dr Ada Lovelace ",
        title: "Family physician",
        version,
      });
      assert.equal(res.status, 303);
      assert.equal(res.headers.get("location"), "/profile?done=saved");
      await res.body?.cancel();
      const shown = await text(await admin.fetch("/profile?done=saved"));
      assert.match(shown, /Your profile was saved/);
      assert.match(
        shown,
        /Patients see you as <strong[^>]*>Dr Ada Lovelace, Family physician<\/strong>/,
      );
      const label = "Dr Ada Lovelace, Family physician";
      const visitPage = await text(await fetch(visit.visitUrl));
      assert.match(visitPage, new RegExp(`<h1>Your video visit with ${label}`));
      await checkIn(visit.visitUrl);
      const callPage = await text(await fetch(`${visit.visitUrl}/call`));
      assert.match(callPage, new RegExp(`"peerLabel":"${label}"`));
      const personal = await text(await fetch(visit.patientUrl!));
      assert.match(personal, new RegExp(`with ${label}`));
      const trail = (await listAudit(server.kv, { limit: 50 })).items;
      const entry = trail.find((e) => e.action === "doctor.profile_changed");
      assert.deepEqual(entry?.actor, { kind: "doctor", id: adminId });
      assert.equal(entry?.subject, adminId);
    });

    await t.step(
      "an edit on a stale version is refused and shows the saved one",
      async () => {
        const stale = versionIn(await text(await admin.fetch("/profile")));
        const first = await admin.form("/profile", {
          name: "Dr Ada Lovelace",
          title: "General practitioner",
          version: stale,
        });
        assert.equal(first.status, 303);
        await first.body?.cancel();
        const before = await snapshot(server.kv);
        const second = await admin.form("/profile", {
          name: "Ada from another tab",
          title: "",
          version: stale,
        });
        assert.equal(second.status, 409);
        const html = await text(second);
        assert.match(html, /changed by someone else/);
        // What this tab typed is kept, beside the version saved now.
        assert.match(html, /value="Ada from another tab"/);
        assert.notEqual(versionIn(html), stale);
        assert.equal(await snapshot(server.kv), before, "nothing changed");
      },
    );

    await t.step(
      "hostile or oversized input is refused and changes nothing",
      async () => {
        const version = versionIn(await text(await admin.fetch("/profile")));
        const before = await snapshot(server.kv);
        for (
          const fields of <Record<string, string>[]> [
            { name: "Dr X\r\nBcc: all@example.org", title: "", version },
            { name: "Dr X", title: "GP\nX-Header: 1", version },
            { name: "Dr \u202eX", title: "", version },
            { name: "Dr\tX", title: "", version },
            { name: "", title: "GP", version },
            { name: "   ", title: "GP", version },
            { name: "a".repeat(101), title: "", version },
            { name: "Dr X", title: "b".repeat(101), version },
            { name: "x".repeat(5_000), title: "", version },
            { name: "Dr X", title: "" },
            { name: "Dr X", title: "", version: "v".repeat(65) },
          ]
        ) {
          const res = await admin.form("/profile", fields);
          assert.equal(res.status, 400, JSON.stringify(fields).slice(0, 80));
          const html = await text(res);
          assert.match(html, /field-error|alert-error/);
        }
        const huge = await admin.form("/profile", {
          name: "x".repeat(1_000_000),
          title: "",
          version,
        });
        assert.equal(huge.status, 413);
        await huge.body?.cancel();
        const crlf = await text(
          await admin.form("/profile", { name: "Dr\nX", title: "", version }),
        );
        assert.match(crlf, /control characters/);
        assert.equal(await snapshot(server.kv), before, "nothing changed");
      },
    );
  } finally {
    await server.close();
  }
});

Deno.test("the administrator sets another doctor's name and title; other doctors cannot", async (t) => {
  const server = await startServer();
  try {
    const admin = await new Client(server.url).signIn();
    const adminId = await idOf(server, ADMIN.email);
    const second = await addDoctor(admin, "second@clinic.test", "Dr Second");
    const secondId = await idOf(server, "second@clinic.test");
    const third = await addDoctor(admin, "third@clinic.test", "Dr Third");

    await t.step(
      "the administrator edits another doctor on /doctors",
      async () => {
        const page = await text(await admin.fetch("/doctors"));
        assert.match(page, /Name of second@clinic.test/);
        const { version } = (await getDoctorEntry(server.kv, secondId))!;
        const res = await admin.form("/doctors", {
          action: "profile",
          doctorId: secondId,
          name: "Dr Grace Second",
          title: "Paediatrician",
          version,
        });
        assert.equal(res.status, 303);
        assert.equal(res.headers.get("location"), "/doctors?done=profile");
        await res.body?.cancel();
        const saved = (await getDoctorEntry(server.kv, secondId))!.value;
        assert.equal(saved.name, "Dr Grace Second");
        assert.equal(saved.title, "Paediatrician");
        const shown = await text(await second.fetch("/profile"));
        assert.match(shown, /Dr Grace Second, Paediatrician/);
        const entry = (await listAudit(server.kv, { limit: 50 })).items.find(
          (e) => e.action === "doctor.profile_changed",
        );
        assert.deepEqual(entry?.actor, { kind: "doctor", id: adminId });
        assert.equal(entry?.subject, secondId);
      },
    );

    await t.step("a refused edit shows beside that doctor's row", async () => {
      const { version } = (await getDoctorEntry(server.kv, secondId))!;
      const before = await snapshot(server.kv);
      const res = await admin.form("/doctors", {
        action: "profile",
        doctorId: secondId,
        name: "Dr\r\nGrace",
        title: "",
        version,
      });
      assert.equal(res.status, 400);
      assert.match(await text(res), /Name: .*control characters/);
      const stale = await admin.form("/doctors", {
        action: "profile",
        doctorId: secondId,
        name: "Dr Grace",
        title: "",
        version: "0".repeat(20),
      });
      assert.equal(stale.status, 409);
      await stale.body?.cancel();
      // Adding a doctor refuses the same names.
      const adding = await admin.form("/doctors", {
        name: "Dr Fourth\r\nBcc: all@example.org",
        email: "fourth@clinic.test",
        password: "fourth-password",
      });
      assert.equal(adding.status, 400);
      assert.match(await text(adding), /control characters/);
      assert.equal(await snapshot(server.kv), before, "nothing changed");
    });

    await t.step(
      "a doctor who is not an administrator is refused",
      async () => {
        const before = await snapshot(server.kv);
        const { version } = (await getDoctorEntry(server.kv, secondId))!;
        for (const doctorId of [secondId, adminId]) {
          const res = await third.form("/doctors", {
            action: "profile",
            doctorId,
            name: "Mallory",
            title: "",
            version,
          });
          assert.equal(res.status, 403);
          await res.body?.cancel();
        }
        // /profile only ever changes the signed-in doctor's own profile.
        const own = versionIn(await text(await third.fetch("/profile")));
        const res = await third.form("/profile", {
          doctorId: secondId,
          name: "Dr Third",
          title: "Nurse practitioner",
          version: own,
        });
        assert.equal(res.status, 303);
        await res.body?.cancel();
        assert.equal(
          (await getDoctorEntry(server.kv, secondId))!.value.name,
          "Dr Grace Second",
        );
        assert.notEqual(await snapshot(server.kv), before);
        const changed = await snapshot(server.kv);
        const signedOut = await new Client(server.url).form("/profile", {
          name: "Anyone",
          title: "",
          version: own,
        });
        assert.equal(signedOut.status, 303);
        assert.equal(
          signedOut.headers.get("location"),
          "/login?next=%2Fprofile&reason=required",
        );
        await signedOut.body?.cancel();
        assert.equal(await snapshot(server.kv), changed);
      },
    );
  } finally {
    await server.close();
  }
});
