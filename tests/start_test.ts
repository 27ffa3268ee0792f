/**
 * Starting the app as `deno task start` does: a first start on an empty
 * store prints a one-time setup link, and a bad setting stops the start
 * with a message that names it and no stack trace.
 */
import assert from "node:assert/strict";
import { appPermissions } from "./helpers/permissions.ts";
import { freePort } from "./helpers/ports.ts";
import { startOutput } from "./helpers/launch.ts";

const root = new URL("../", import.meta.url);

Deno.test("a first start without an admin prints a working setup link", async () => {
  const dir = await Deno.makeTempDir();
  const port = freePort();
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", ...appPermissions(dir), "start.ts"],
    cwd: root,
    env: { PORT: String(port), KV_PATH: `${dir}/clinic.kv`, NO_COLOR: "1" },
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const { out, reader } = await startOutput(child);
  try {
    const link = /(http:\/\/127\.0\.0\.1:\d+\/setup\/[A-Za-z0-9_-]{43})/.exec(
      out,
    )?.[1];
    assert.ok(link, out);
    const page = await fetch(link);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /Create the first doctor account/);
    const wrong = await fetch(
      link.slice(0, -1) + (link.endsWith("A") ? "B" : "A"),
    );
    assert.equal(wrong.status, 404);
    await wrong.body?.cancel();
  } finally {
    child.kill("SIGTERM");
    await reader.cancel();
    await child.status;
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("an invalid setting stops the start, naming it, without a stack trace", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", ...appPermissions(), "start.ts"],
    cwd: root,
    env: {
      PORT: "eighty",
      KV_PATH: ":memory:",
      CLINIC_COLOUR: "green",
      NO_COLOR: "1",
    },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(out.stderr);
  assert.equal(out.code, 1);
  assert.match(stderr, /Invalid configuration/);
  assert.match(stderr, /PORT:/);
  assert.match(stderr, /CLINIC_COLOUR:/);
  assert.doesNotMatch(stderr, /\n\s+at /);
});
