/**
 * Sign-in throttling against the running server: an attacker slows only
 * themselves, never the doctor signing in from elsewhere or from their own
 * browser; behind a trusted proxy every client is counted apart, and without
 * one a forged `X-Forwarded-For` changes nothing; parallel guesses get no
 * extra tries; every sign-in, failure, throttled burst and sign-out is in
 * the audit trail with its address.
 */
import assert from "node:assert/strict";
import { listAudit } from "../lib/store/audit.ts";
import { findDoctorByEmail } from "../lib/store/doctors.ts";
import { ADMIN, Client, startServer } from "./helpers/server.ts";

/** A sign-in from `address`, as the proxy in front reports it. */
async function signIn(
  client: Client,
  password: string,
  address?: string,
  email = ADMIN.email,
) {
  const res = await client.fetch("/login", {
    method: "POST",
    headers: address ? { "x-forwarded-for": address } : {},
    body: new URLSearchParams({ email, password }),
  });
  await res.body?.cancel();
  return res;
}

Deno.test("an attacker's failures never stop the doctor signing in from elsewhere", async () => {
  const server = await startServer({ TRUSTED_PROXIES: "127.0.0.1" });
  try {
    const attacker = new Client(server.url);
    const statuses = [];
    for (let i = 0; i < 8; i++) {
      statuses.push(
        (await signIn(attacker, `guess ${i}`, "203.0.113.66")).status,
      );
    }
    assert.deepEqual(statuses, [401, 401, 401, 401, 429, 429, 429, 429]);
    const blocked = await signIn(attacker, ADMIN.password, "203.0.113.66");
    assert.equal(blocked.status, 429, "not even the right password is tried");
    assert.ok(Number(blocked.headers.get("retry-after")) >= 1);

    const doctor = new Client(server.url);
    assert.equal(
      (await signIn(doctor, ADMIN.password, "198.51.100.7")).status,
      303,
    );

    const trail = (await listAudit(server.kv, { limit: 100 })).items;
    const adminId = (await findDoctorByEmail(server.kv, ADMIN.email))!.id;
    const of = (action: string) => trail.filter((e) => e.action === action);
    assert.equal(of("signin.failed").length, 4);
    assert.ok(
      of("signin.failed").every((e) =>
        e.address === "203.0.113.66" && e.subject === adminId &&
        e.actor.kind === "anonymous"
      ),
    );
    assert.equal(of("signin.throttled").length, 1, "one entry per wait");
    assert.deepEqual(
      of("signin.succeeded").map((e) => [e.address, e.subject]),
      [["198.51.100.7", adminId]],
    );
    const out = await doctor.fetch("/logout", { method: "POST" });
    assert.equal(out.status, 303);
    assert.equal(
      (await listAudit(server.kv, { limit: 1 })).items[0].action,
      "signout",
    );
  } finally {
    await server.close();
  }
});

Deno.test("behind a trusted proxy clients are counted apart; a forged header is ignored", async () => {
  const direct = await startServer();
  try {
    const client = new Client(direct.url);
    const statuses = [];
    for (let i = 0; i < 6; i++) {
      // A different forged address each time: all count as this socket's.
      statuses.push((await signIn(client, `guess ${i}`, `10.9.0.${i}`)).status);
    }
    assert.deepEqual(statuses.slice(-2), [429, 429]);
  } finally {
    await direct.close();
  }
  const proxied = await startServer({ TRUSTED_PROXIES: "127.0.0.1, ::1" });
  try {
    const client = new Client(proxied.url);
    for (let i = 0; i < 6; i++) {
      assert.equal(
        (await signIn(client, `guess ${i}`, `10.9.0.${i}`)).status,
        401,
        "six clients behind the proxy, one failure each",
      );
    }
    // The client cannot pick its address: the proxy's entry is the right end.
    for (let i = 0; i < 5; i++) {
      await signIn(client, `again ${i}`, `192.0.2.${i}, 203.0.113.9`);
    }
    assert.equal(
      (await signIn(client, "again", "198.51.100.1, 203.0.113.9")).status,
      429,
    );
    // Garbage in the header counts as the proxy itself, never as a new client.
    const garbage = await signIn(client, "x", "not an address");
    assert.ok([401, 429].includes(garbage.status));
  } finally {
    await proxied.close();
  }
});

Deno.test("a distributed attack slows new browsers only; the doctor's own browser signs in", async () => {
  const server = await startServer({ TRUSTED_PROXIES: "127.0.0.1" });
  try {
    const ownBrowser = new Client(server.url);
    assert.equal(
      (await signIn(ownBrowser, ADMIN.password, "198.51.100.7")).status,
      303,
    );
    assert.ok(
      [...ownBrowser.cookies.keys()].includes("clinic_device"),
      "the browser is remembered",
    );
    for (let i = 0; i < 12; i++) {
      await signIn(new Client(server.url), `guess ${i}`, `203.0.113.${i}`);
    }
    const newBrowser = await signIn(
      new Client(server.url),
      ADMIN.password,
      "198.51.100.50",
    );
    assert.equal(newBrowser.status, 429, "a new browser waits");
    assert.equal(
      (await signIn(ownBrowser, ADMIN.password, "198.51.100.51")).status,
      303,
      "the doctor's own browser does not",
    );
  } finally {
    await server.close();
  }
});

Deno.test("thirty parallel guesses get four tries", async () => {
  const server = await startServer();
  try {
    const statuses = await Promise.all(
      Array.from(
        { length: 30 },
        (_, i) =>
          signIn(new Client(server.url), `parallel ${i}`).then((r) => r.status),
      ),
    );
    assert.equal(statuses.filter((s) => s === 401).length, 4);
    assert.equal(statuses.filter((s) => s === 429).length, 26);
  } finally {
    await server.close();
  }
});
