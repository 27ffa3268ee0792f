import assert from "node:assert/strict";
import { loadConfig } from "@/lib/config.ts";
import { HttpError } from "@/lib/http/errors.ts";
import { listAudit } from "@/lib/store/audit.ts";
import {
  createDoctor,
  type Doctor,
  doctorSchema,
  getDoctor,
  getDoctorEntry,
} from "@/lib/store/doctors.ts";
import { keys } from "@/lib/store/keys.ts";
import { addDoctor } from "./doctor_admin.ts";
import { changeProfile } from "./doctor_profile.ts";
import {
  completeSetup,
  prepareFirstDoctor,
  setupLinkIsValid,
} from "./first_doctor.ts";

async function withKv(fn: (kv: Deno.Kv) => Promise<void>) {
  const kv = await Deno.openKv(":memory:");
  try {
    await fn(kv);
  } finally {
    kv.close();
  }
}

async function doctor(kv: Deno.Kv, email: string, isAdmin = false) {
  return (await createDoctor(kv, {
    email,
    name: email.split("@")[0],
    passwordHash: "not a real hash",
    isAdmin,
  }))!;
}

async function dump(kv: Deno.Kv) {
  const rows: string[] = [];
  for await (const e of kv.list({ prefix: [] })) {
    rows.push(JSON.stringify([e.key, e.value, e.versionstamp]));
  }
  return rows.join("\n");
}

async function refusal(p: Promise<unknown>): Promise<HttpError> {
  try {
    await p;
  } catch (error) {
    if (error instanceof HttpError) return error;
    throw error;
  }
  throw new Error("it was not refused");
}

const HOSTILE = [
  "Dr X\r\nBcc: all@example.org",
  "Dr\tX",
  "Dr X\u0000",
  "Dr \u202eX",
  "a".repeat(101),
  "   ",
];

Deno.test("a doctor sets their own name and title; it is audited and versioned", async () => {
  await withKv(async (kv) => {
    const ada = await doctor(kv, "ada@clinic.test");
    const read = (await getDoctorEntry(kv, ada.id))!;
    const saved = await changeProfile(kv, ada, ada.id, {
      name: "  Dr Ada Lovelace ",
      title: " Family physician ",
    }, { version: read.version, address: "127.0.0.1" });
    assert.equal(saved.value.name, "Dr Ada Lovelace");
    assert.equal(saved.value.title, "Family physician");
    assert.notEqual(saved.version, read.version);
    assert.deepEqual(await getDoctor(kv, ada.id), saved.value);
    const [entry] = (await listAudit(kv, { limit: 10 })).items;
    assert.equal(entry.action, "doctor.profile_changed");
    assert.deepEqual(entry.actor, { kind: "doctor", id: ada.id });
    assert.equal(entry.subject, ada.id);
    assert.equal(entry.address, "127.0.0.1");

    // An empty title removes it.
    const cleared = await changeProfile(kv, ada, ada.id, {
      name: "Dr Ada Lovelace",
      title: "  ",
    }, { version: saved.version });
    assert.equal("title" in cleared.value, false);
  });
});

Deno.test("an edit made on a version read before another edit is refused, and writes nothing", async () => {
  await withKv(async (kv) => {
    const admin = await doctor(kv, "admin@clinic.test", true);
    const ada = await doctor(kv, "ada@clinic.test");
    const { version } = (await getDoctorEntry(kv, ada.id))!;
    await changeProfile(kv, admin, ada.id, { name: "Dr Ada" }, { version });
    const before = await dump(kv);
    const stale = await refusal(
      changeProfile(kv, ada, ada.id, { name: "Ada L." }, { version }),
    );
    assert.equal(stale.status, 409);
    assert.equal(stale.code, "conflict");
    assert.equal(await dump(kv), before);
    assert.equal((await getDoctor(kv, ada.id))!.name, "Dr Ada");
  });
});

Deno.test("only the doctor or an active administrator may change a profile", async () => {
  await withKv(async (kv) => {
    const admin = await doctor(kv, "admin@clinic.test", true);
    const ada = await doctor(kv, "ada@clinic.test");
    const bob = await doctor(kv, "bob@clinic.test");
    const version = async (d: Doctor) =>
      (await getDoctorEntry(kv, d.id))!.version;
    const before = await dump(kv);
    const byBob = await refusal(
      changeProfile(kv, bob, ada.id, { name: "Mallory" }, {
        version: await version(ada),
      }),
    );
    assert.equal(byBob.status, 403);
    const missing = await refusal(
      changeProfile(kv, admin, "0".repeat(32), { name: "Nobody" }, {
        version: "0".repeat(20),
      }),
    );
    assert.equal(missing.status, 404);
    assert.equal(await dump(kv), before);
    // The administrator, deactivated meanwhile, can no longer do it.
    const entry = await kv.get(keys.doctor(admin.id));
    const gone = { ...doctorSchema.parse(entry.value), active: false };
    await kv.set(keys.doctor(admin.id), gone);
    const after = await dump(kv);
    assert.notEqual(after, before);
    const byFormer = await refusal(
      changeProfile(kv, admin, ada.id, { name: "Mallory" }, {
        version: await version(ada),
      }),
    );
    assert.equal(byFormer.status, 403);
    assert.equal(await dump(kv), after);
  });
});

Deno.test("a hostile name or title is refused by the profile and writes nothing", async () => {
  await withKv(async (kv) => {
    const ada = await doctor(kv, "ada@clinic.test");
    const { version } = (await getDoctorEntry(kv, ada.id))!;
    const before = await dump(kv);
    for (const text of HOSTILE) {
      const asName = await refusal(
        changeProfile(kv, ada, ada.id, { name: text }, { version }),
      );
      assert.equal(asName.status, 400, JSON.stringify(text));
      assert.ok(asName.fields?.name, JSON.stringify(text));
      if (text.trim() === "") continue;
      const asTitle = await refusal(
        changeProfile(kv, ada, ada.id, { name: "Ada", title: text }, {
          version,
        }),
      );
      assert.equal(asTitle.status, 400, JSON.stringify(text));
      assert.ok(asTitle.fields?.title, JSON.stringify(text));
    }
    assert.equal(await dump(kv), before);
  });
});

Deno.test("records made before titles read without one", () => {
  const old = doctorSchema.parse({
    id: "a".repeat(32),
    email: "old@clinic.test",
    name: "Dr Old",
    passwordHash: "x",
    isAdmin: false,
    createdAt: 1,
  });
  assert.equal(old.title, undefined);
  assert.equal(old.active, true);
});

Deno.test("control characters are refused in every name: ADMIN_NAME, the first start, setup, adding a doctor", async () => {
  for (const text of HOSTILE.slice(0, 4)) {
    assert.throws(
      () =>
        loadConfig({
          ADMIN_EMAIL: "admin@clinic.test",
          ADMIN_PASSWORD: "admin-password-1",
          ADMIN_NAME: text,
        }),
      /ADMIN_NAME/,
      JSON.stringify(text),
    );
  }
  // The default name, from the email, is unchanged.
  assert.equal(
    loadConfig({
      ADMIN_EMAIL: "grace@clinic.test",
      ADMIN_PASSWORD: "admin-password-1",
    }).admin?.name,
    "grace",
  );
  await withKv(async (kv) => {
    await assert.rejects(
      () =>
        prepareFirstDoctor(kv, {
          email: "admin@clinic.test",
          password: "admin-password-1",
          name: "Dr\nAdmin",
        }),
      /ADMIN_NAME/,
    );
    assert.equal(await dump(kv), "");
  });
  await withKv(async (kv) => {
    const start = await prepareFirstDoctor(kv);
    assert.equal(start.kind, "setup-link");
    const token = (start as { token: string }).token;
    const before = await dump(kv);
    for (const text of HOSTILE) {
      const refused = await refusal(
        completeSetup(kv, token, {
          name: text,
          email: "first@clinic.test",
          password: "first-password-1",
        }),
      );
      assert.equal(refused.status, 400, JSON.stringify(text));
    }
    assert.equal(await dump(kv), before);
    assert.ok(await setupLinkIsValid(kv, token), "the link is not used up");
    const first = await completeSetup(kv, token, {
      name: " Dr First ",
      email: "first@clinic.test",
      password: "first-password-1",
    });
    assert.equal(first?.name, "Dr First");

    const before2 = await dump(kv);
    for (const text of HOSTILE) {
      const refused = await refusal(
        addDoctor(kv, first!, {
          name: text,
          email: "second@clinic.test",
          password: "second-password",
          isAdmin: false,
        }),
      );
      assert.equal(refused.status, 400, JSON.stringify(text));
    }
    assert.equal(await dump(kv), before2);
  });
});
