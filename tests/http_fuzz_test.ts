/**
 * Random hostile requests against every route of the running server: the
 * routes come from the generated manifest (a new route is fuzzed without
 * touching this file), with parameters, methods, headers, cookies and bodies
 * drawn from a seeded generator. No answer may be a 500, the server stays
 * up, and a refused write changes nothing in the store.
 *
 * Replay a failure with `FUZZ_SEED=<seed printed> deno test -A tests/http_fuzz_test.ts`.
 */
import assert from "node:assert/strict";
import manifest from "../fresh.gen.ts";
import { classifyRouteFile, routePattern } from "../lib/web/route_paths.ts";
import { addDoctor, Client, startIn, startServer } from "./helpers/server.ts";

const REQUESTS = 3000;

/** A small seeded generator (mulberry32), so a failing run can be replayed. */
function generator(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(items: readonly T[]): T =>
    items[Math.floor(next() * items.length)];
  return { next, pick };
}

const HOSTILE_SEGMENTS = [
  "",
  "x",
  "0".repeat(32),
  "f".repeat(32),
  "A".repeat(43),
  "..",
  "%2e%2e",
  "%E0%A4%A",
  "%",
  "%00",
  "%C0%AE",
  "%F0%9F%92%A9",
  "ü",
  "' OR 1=1 --",
  "<script>alert(1)</script>",
  "a".repeat(3000),
  "-1",
  "1e309",
  "__proto__",
  "constructor",
  "%2F..%2Fdata%2Fclinic.kv",
];

const QUERY_NAMES = [
  "from",
  "to",
  "cursor",
  "limit",
  "patient",
  "patientId",
  "more",
  "done",
  "signed-out",
];
const QUERY_VALUES = [
  "2026-01-01T00:00:00Z",
  "2026-02-01T00:00:00+01:00",
  "2026-01-01",
  "2026-02-30",
  "0",
  "-5",
  "101",
  "1e3",
  "0".repeat(32),
  "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
];

const CONTENT_TYPES = [
  undefined,
  "application/json",
  "application/json; charset=utf-8",
  "text/plain; application/json",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=zzz",
  "text/csv",
  "application/octet-stream",
  "application/json; charset=utf-16",
];

function bodies(rand: ReturnType<typeof generator>, startsAt: string) {
  return [
    undefined,
    "",
    "null",
    "[]",
    "{}",
    '{"patientName":5}',
    JSON.stringify({ patientName: "Fuzz", startsAt, durationMinutes: 20 }),
    JSON.stringify({ patientName: "x".repeat(5000), startsAt: "yesterday" }),
    JSON.stringify({ text: "note", baseVersion: -1, shared: "yes" }),
    JSON.stringify({ startsAt, durationMinutes: 1e308, reason: null }),
    JSON.stringify({ __proto__: { isAdmin: true }, constructor: 1 }),
    "[".repeat(20_000) + "]".repeat(20_000),
    '{"a":' + "1".repeat(400) + "}",
    "action=cancel&version=x",
    "action=reissue-patient-link",
    "action=reschedule&startsAt=2020-13-45T99:99&durationMinutes=abc",
    "email=a%40b.c&password=" + "p".repeat(300),
    "patientName=%00&startsAt=&durationMinutes=-5",
    "doctorId=..%2F..&action=deactivate",
    "x".repeat(70_000),
    new Uint8Array(Array.from({ length: 512 }, () => rand.next() * 256)),
    "\u0000\uFFFF\uD800",
  ];
}

/** The store as text, leaving out what any request may touch. */
async function storeText(kv: Deno.Kv, ignore: string[]) {
  const parts: string[] = [];
  for await (const entry of kv.list({ prefix: [] })) {
    if (ignore.includes(String(entry.key[0]))) continue;
    parts.push(
      JSON.stringify(
        [entry.key, entry.value],
        (_, v) => typeof v === "bigint" ? `${v}n` : v,
      ),
    );
  }
  return parts.join("\n");
}

Deno.test(`HTTP fuzz: ${REQUESTS} hostile requests, no 500, refused writes change nothing`, async () => {
  const seed = Number(Deno.env.get("FUZZ_SEED") ?? Date.now() % 1_000_000);
  console.log(`HTTP fuzz seed ${seed}`);
  const rand = generator(seed);
  const server = await startServer();
  try {
    const doctor = await new Client(server.url).signIn();
    const other = await addDoctor(doctor, "other@clinic.test");
    const own = await (await doctor.json("/api/appointments", {
      patientName: "Own",
      startsAt: startIn(1),
      durationMinutes: 30,
    })).json();
    const foreign = await (await other.json("/api/appointments", {
      patientName: "Foreign",
      startsAt: startIn(60),
      durationMinutes: 30,
    })).json();
    const ids = [own.id, foreign.id, own.patient.id, foreign.patient.id];
    const tokens = [
      own.visitUrl.split("/visit/")[1],
      own.patientDashboardUrl.split("/patient/")[1],
      foreign.visitUrl.split("/visit/")[1],
    ];

    const patterns = Object.keys(manifest.routes)
      .filter((file) => classifyRouteFile(file).kind === "route")
      .map(routePattern);
    const query = () =>
      rand.next() < 0.4
        ? `from=${encodeURIComponent(rand.pick(QUERY_VALUES.slice(0, 3)))}&to=${
          encodeURIComponent(rand.pick(QUERY_VALUES.slice(0, 3)))
        }`
        : Array.from(
          { length: 1 + Math.floor(rand.next() * 3) },
          () =>
            `${rand.pick(QUERY_NAMES)}=${
              encodeURIComponent(
                rand.next() < 0.8
                  ? rand.pick(QUERY_VALUES)
                  : rand.pick(HOSTILE_SEGMENTS),
              )
            }`,
        ).join("&");
    const paths = () => {
      if (rand.next() < 0.05) {
        return "/" + rand.pick(HOSTILE_SEGMENTS) + "/" +
          rand.pick(HOSTILE_SEGMENTS);
      }
      return rand.pick(patterns).replace(
        /:(\w+)(\{[^}]*\})?/g,
        (_, name: string) =>
          rand.next() < 0.5
            ? (name === "token" ? rand.pick(tokens) : rand.pick(ids))
            : rand.pick(HOSTILE_SEGMENTS),
      ) + (rand.next() < 0.5 ? "?" + query() : "");
    };
    const cookies = [
      "",
      doctor.cookie,
      doctor.cookie,
      doctor.cookie,
      other.cookie,
      "clinic_session=" + "A".repeat(43),
      "clinic_session=%00; clinic_device=../..",
      `${doctor.cookie}; clinic_session=forged`,
    ];
    const origins = [undefined, server.url, "https://evil.example", "null"];
    const methods = [
      "GET",
      "POST",
      "PUT",
      "PATCH",
      "DELETE",
      "HEAD",
      "OPTIONS",
    ];

    const seen = new Set<string>();
    const failures: string[] = [];
    for (let i = 0; i < REQUESTS; i++) {
      const path = paths();
      const method = rand.pick(methods);
      const headers = new Headers();
      const type = rand.pick(CONTENT_TYPES);
      if (type) headers.set("content-type", type);
      const origin = rand.pick(origins);
      if (origin) headers.set("origin", origin);
      const cookie = rand.pick(cookies);
      if (cookie) headers.set("cookie", cookie);
      if (rand.next() < 0.1) headers.set("x-forwarded-for", "1.2.3.4, ::1");
      if (rand.next() < 0.1) headers.set("if-none-match", '"x", W/"y"');
      // A handshake cut short: the socket route must refuse it, not fail.
      if (rand.next() < 0.1) headers.set("upgrade", "websocket");
      const body = method === "GET" || method === "HEAD"
        ? undefined
        : rand.pick(bodies(rand, startIn(90)));
      const writes = method !== "GET" && method !== "HEAD";
      // A sign-in attempt is recorded even when refused, by design.
      const ignore = ["login_sessions"].concat(
        path.startsWith("/login")
          ? ["login_attempts", "audit", "known_devices"]
          : [],
      );
      const before = writes ? await storeText(server.kv, ignore) : "";
      let res: Response;
      try {
        res = await fetch(server.url + path, {
          method,
          headers,
          body,
          redirect: "manual",
        });
        await res.body?.cancel();
      } catch (error) {
        // fetch itself refuses some URLs (a lone "%"): not the server's doing.
        if (error instanceof TypeError && /URL|url/.test(error.message)) {
          continue;
        }
        throw error;
      }
      const route = patterns.find((p) =>
        new RegExp(
          "^" + p.replace(/:\w+(\{[^}]*\})?/g, "[^/]+") + "$",
        ).test(new URL(server.url + path).pathname)
      );
      seen.add(route ?? "(no route)");
      const what = `${method} ${path.slice(0, 120)} (${type ?? "-"})`;
      if (res.status >= 500) failures.push(`${what} answered ${res.status}`);
      if (writes && res.status >= 400) {
        const after = await storeText(server.kv, ignore);
        if (after !== before) failures.push(`${what} changed the store`);
      }
    }
    console.log(
      `HTTP fuzz: ${REQUESTS} requests, ${
        seen.size - (seen.has("(no route)") ? 1 : 0)
      } of ${patterns.length} routes hit`,
    );
    assert.deepEqual(failures, [], `seed ${seed}`);
    const alive = await fetch(`${server.url}/login`);
    assert.equal(alive.status, 200);
    await alive.body?.cancel();
  } finally {
    await server.close();
  }
});
