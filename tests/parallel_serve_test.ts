/**
 * The app runs unchanged under `deno serve --parallel`: two isolates share
 * one Deno KV file, so a sign-in made on one isolate is honoured on the
 * other, and the first doctor is created once.
 */
import assert from "node:assert/strict";
import { listDoctors } from "@/lib/store/doctors.ts";
import { Client, startIn } from "./helpers/server.ts";
import { serveParallel, stopServer } from "./helpers/launch.ts";

Deno.test("deno serve --parallel: isolates share sign-ins and records", async () => {
  const dir = await Deno.makeTempDir();
  const { url, child } = await serveParallel(dir, {
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  });
  const output = Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
  ]);
  try {
    const doctor = await new Client(url).signIn();
    const created = await doctor.json("/api/appointments", {
      patientName: "Katherine Johnson",
      startsAt: startIn(30),
      durationMinutes: 15,
    });
    assert.equal(created.status, 201);
    const { visitUrl } = await created.json();
    // Many requests spread over both isolates: each sees the session and the visit.
    const answers = await Promise.all(
      Array.from({ length: 40 }, async (_, i) => {
        const res = i % 2 === 0
          ? await doctor.fetch("/dashboard")
          : await fetch(visitUrl);
        const text = await res.text();
        return res.status === 200 &&
          (i % 2 === 0
            ? text.includes("Katherine Johnson")
            : text.includes("Your video visit"));
      }),
    );
    assert.deepEqual(answers.filter((ok) => !ok), []);
  } finally {
    const stopped = await stopServer(child);
    assert.ok(stopped, "the server did not stop on SIGTERM");
    const [stdout, stderr] = await output;
    assert.ok(!/error/i.test(stderr), stderr);
    assert.match(stdout + stderr, /with 2 threads/);
    assert.equal(
      (stdout + stderr).match(/Created the clinic's first doctor/g)?.length,
      1,
    );
  }
  const kv = await Deno.openKv(`${dir}/clinic.kv`);
  try {
    assert.equal((await listDoctors(kv)).length, 1);
  } finally {
    kv.close();
    await Deno.remove(dir, { recursive: true });
  }
});
