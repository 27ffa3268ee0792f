import assert from "node:assert/strict";
import { HttpError } from "@/lib/http/errors.ts";
import { createDoctor, getDoctor, listDoctors } from "@/lib/store/doctors.ts";
import { administerDoctor } from "./doctor_admin.ts";

async function twoAdmins(kv: Deno.Kv) {
  const make = (email: string) =>
    createDoctor(kv, {
      email,
      name: email,
      passwordHash: "not a real hash",
      isAdmin: true,
    });
  return [(await make("a@clinic.test"))!, (await make("b@clinic.test"))!];
}

Deno.test("two administrators deactivating each other at once leave one active", async () => {
  for (let round = 0; round < 5; round++) {
    const kv = await Deno.openKv(":memory:");
    try {
      const [a, b] = await twoAdmins(kv);
      const results = await Promise.allSettled([
        administerDoctor(kv, a, b.id, { kind: "deactivate" }),
        administerDoctor(kv, b, a.id, { kind: "deactivate" }),
      ]);
      assert.equal(results.filter((r) => r.status === "fulfilled").length, 1);
      const refused = results.find((r) => r.status === "rejected");
      assert.equal((refused?.reason as HttpError).status, 403);
      const active = (await listDoctors(kv)).filter((d) =>
        d.active && d.isAdmin
      );
      assert.equal(active.length, 1);
    } finally {
      kv.close();
    }
  }
});

Deno.test("an administrator deactivated meanwhile can no longer act", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const [a, b] = await twoAdmins(kv);
    await administerDoctor(kv, b, a.id, { kind: "deactivate" });
    // `a` as read when its request began, before the deactivation.
    await assert.rejects(
      () => administerDoctor(kv, a, b.id, { kind: "end-sessions" }),
      (e: HttpError) => e.status === 403,
    );
    assert.equal((await getDoctor(kv, b.id))!.sessionsNotBefore, 0);
    await assert.rejects(
      () => administerDoctor(kv, b, b.id, { kind: "deactivate" }),
      (e: HttpError) => e.status === 400,
    );
  } finally {
    kv.close();
  }
});
