import assert from "node:assert/strict";
import { listAudit } from "@/lib/store/audit.ts";
import { noteVersions, readNote, saveNote } from "./notes.ts";

const SESSION = "a".repeat(32);
const DOCTOR = "d".repeat(32);

Deno.test("every save is a version; earlier ones stay readable", async () => {
  using kv = await Deno.openKv(":memory:");
  const first = await saveNote(kv, SESSION, DOCTOR, {
    text: "Cough for a week.",
    shared: false,
    baseVersion: 0,
  });
  assert.ok("saved" in first);
  const second = await saveNote(kv, SESSION, DOCTOR, {
    text: "Cough for a week. Rest and fluids.",
    shared: true,
    baseVersion: 1,
  });
  assert.ok("saved" in second && second.saved.version === 2);
  const versions = await noteVersions(kv, SESSION);
  assert.deepEqual(versions.map((v) => [v.version, v.text, v.shared]), [
    [2, "Cough for a week. Rest and fluids.", true],
    [1, "Cough for a week.", false],
  ]);
  // The trail says a note was edited, never what it says.
  const trail = await listAudit(kv, { limit: 10 });
  assert.equal(trail.items.length, 2);
  assert.ok(
    trail.items.every((e) =>
      e.action === "note.edited" && !JSON.stringify(e).includes("Cough")
    ),
  );
});

Deno.test("two tabs saving from the same version: one saves, the other gets both texts", async () => {
  using kv = await Deno.openKv(":memory:");
  await saveNote(kv, SESSION, DOCTOR, {
    text: "v1",
    shared: false,
    baseVersion: 0,
  });
  const results = await Promise.all(
    Array.from({ length: 8 }, (_, i) =>
      saveNote(kv, SESSION, DOCTOR, {
        text: `tab ${i}`,
        shared: false,
        baseVersion: 1,
      })),
  );
  const saved = results.filter((r) => "saved" in r);
  const refused = results.filter((r) => "conflict" in r);
  assert.equal(saved.length, 1);
  assert.equal(refused.length, 7);
  const current = await readNote(kv, SESSION);
  assert.equal(current!.version, 2);
  for (const r of refused) {
    assert.ok("conflict" in r);
    assert.equal(r.conflict!.text, current!.text);
  }
  assert.equal((await noteVersions(kv, SESSION)).length, 2);
});
