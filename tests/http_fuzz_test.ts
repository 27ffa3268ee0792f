/**
 * Random hostile requests against every route of the running server: the
 * routes come from the generated manifest (a new route is fuzzed without
 * touching this file), with parameters, query strings, methods, headers,
 * cookies and bodies drawn from a seeded generator, signed in as a doctor,
 * as another doctor, with forged cookies and as nobody. No answer may be a
 * 500, the server stays up, and a refused request (400 and above) changes
 * nothing in the store. Every route must be reached at least once.
 *
 * The WebSocket route is left to the signaling tests, `/static/` to the
 * attack test.
 *
 * Replay a failure with
 * `FUZZ_SEED=<seed printed> deno test -A tests/http_fuzz_test.ts`;
 * `FUZZ_REQUESTS` changes how many requests are sent.
 */
import assert from "node:assert/strict";
import manifest from "../fresh.gen.ts";
import { startLoginSession } from "../lib/auth/login_sessions.ts";
import { cookieName } from "../lib/auth/session_cookie.ts";
import { listDoctors } from "../lib/store/doctors.ts";
import { classifyRouteFile, routePattern } from "../lib/web/route_paths.ts";
import {
  addDoctor,
  ADMIN,
  Client,
  snapshot,
  startIn,
  startServer,
} from "./helpers/server.ts";
import { holdVisit, join, patientTicket } from "./helpers/signal_client.ts";

const REQUESTS = Number(Deno.env.get("FUZZ_REQUESTS") ?? 3000);

/** Routes that other tests cover: the call's WebSocket. */
const EXCLUDED = new Set(["/api/signal"]);

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
  const chance = (p: number) => next() < p;
  const hex = (n: number) =>
    Array.from({ length: n }, () => Math.floor(next() * 16).toString(16))
      .join("");
  return { next, pick, chance, hex };
}
type Random = ReturnType<typeof generator>;

/** Path segments and query values that are not what a route expects. */
const HOSTILE_SEGMENTS = [
  "",
  "x",
  "0".repeat(32),
  "f".repeat(32),
  "0".repeat(31) + "g",
  "A".repeat(43),
  "A".repeat(42) + "=",
  "..",
  "%2e%2e",
  "%2e%2e%2f%2e%2e",
  "%E0%A4%A",
  "%zz",
  "%00",
  "%0d%0aSet-Cookie:%20x=1",
  "%C0%AE",
  "%F0%9F%92%A9",
  "%EF%BC%8E",
  "ü",
  "%u0041",
  "' OR 1=1 --",
  "<script>alert(1)</script>",
  "a".repeat(3000),
  "%ff".repeat(500),
  "-1",
  "1e309",
  "NaN",
  "__proto__",
  "constructor",
  "%2F..%2Fdata%2Fclinic.kv",
  "index",
  "invite.ics",
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
  "__proto__",
  "",
];

const QUERY_VALUES = [
  "2026-01-01T00:00:00Z",
  "2026-02-01T00:00:00+01:00",
  "2036-01-01T00:00:00Z",
  "0000-01-01T00:00:00Z",
  "9999-12-31T23:59:59Z",
  "2026-01-01",
  "2026-02-30",
  "2026-12-31",
  "0",
  "-5",
  "1",
  "101",
  "1e3",
  "1.5",
  "0x10",
  "saved",
  "ended",
];

const CONTENT_TYPES = [
  undefined,
  "application/json",
  "application/json; charset=utf-8",
  "Application/JSON; Charset=UTF-8",
  'application/json; charset="utf-8',
  "application/json; charset=utf-16",
  "text/plain; application/json",
  "application/x-www-form-urlencoded",
  "application/x-www-form-urlencoded; charset=utf-8",
  "multipart/form-data",
  "multipart/form-data; boundary=zzz",
  "multipart/form-data; boundary=",
  "text/csv",
  "text/plain",
  "application/octet-stream",
  "\u00ff/\u00ff",
  ";;;",
];

const ACCEPTS = [
  undefined,
  "application/json",
  "text/html",
  "*/*",
  "text/calendar",
  "\u00ff",
];

function nested(depth: number, open: string, close: string) {
  return open.repeat(depth) + close.repeat(depth);
}

interface BodyPools {
  ids: string[];
  doctorIds: string[];
  startsAt: string;
}

/** JSON of the right and the wrong shapes, and text that is not JSON. */
function jsonBody(rand: Random, pools: BodyPools): string {
  const id = rand.pick(pools.ids);
  const { startsAt } = pools;
  return rand.pick<() => string>([
    () => "",
    () => "null",
    () => "[]",
    () => "{}",
    () => "true",
    () => '"text"',
    () => "1e999",
    () => '{"patientName":5}',
    () =>
      JSON.stringify({ patientName: "Fuzz", startsAt, durationMinutes: 20 }),
    () => JSON.stringify({ patientId: id, startsAt, durationMinutes: 20 }),
    () =>
      JSON.stringify({
        patientId: id,
        patientName: "Both",
        startsAt,
        durationMinutes: 20,
      }),
    () => JSON.stringify({ patientName: "x".repeat(5000), startsAt: "soon" }),
    () =>
      JSON.stringify({
        text: "note",
        baseVersion: Math.floor(rand.next() * 3),
        shared: rand.chance(0.5),
      }),
    () => JSON.stringify({ text: "note", baseVersion: -1, shared: "yes" }),
    () => JSON.stringify({ text: "n".repeat(20_000), baseVersion: 1 }),
    () => JSON.stringify({ startsAt, durationMinutes: 1e308, reason: null }),
    () => JSON.stringify({ startsAt, reason: "Moved" }),
    () => JSON.stringify({ durationMinutes: 30, version: "x".repeat(70) }),
    () => '{"startsAt":"' + startsAt + '","durationMinutes":1e999}',
    () => '{"patientName":"\\ud800","startsAt":"' + startsAt + '"}',
    () => '{"__proto__":{"isAdmin":true},"constructor":{"prototype":1}}',
    () => '{"a":1,"a":2,"patientName":"Dup","patientName":["x"]}',
    () => nested(20_000, "[", "]"),
    () => nested(5_000, '{"a":', "}"),
    () => '{"a":' + "1".repeat(400) + "}",
    () => '{"text":"unterminated',
    () => "\u0000\uFFFF\uD800",
  ])();
}

/** The pages' forms, right and wrong. */
function formBody(rand: Random, pools: BodyPools): string {
  const id = rand.pick(pools.ids);
  const doctorId = rand.pick(pools.doctorIds);
  return rand.pick<() => string>([
    () => "",
    () => "action=cancel&version=x",
    () => `action=cancel&version=${"v".repeat(100)}`,
    () => "action=cancel",
    () => "action=reissue-patient-link",
    () => "action=reissue-visit-link&action=cancel",
    () => "action=reschedule&startsAt=2020-13-45T99:99&durationMinutes=abc",
    () => "action=reschedule&startsAt=2030-01-01T09:00&durationMinutes=30",
    () => "action=save-note&text=hi&baseVersion=99999999999",
    () => `action=save-note&text=hi&baseVersion=${Math.floor(rand.next() * 3)}`,
    () => `action=save-note&text=${"n".repeat(20_000)}&baseVersion=1`,
    () => "action=end",
    () => "action=%00",
    () => "email=a%40b.c&password=" + "p".repeat(300),
    () => "email=admin%40clinic.test&password=wrong-password",
    () => "email=&password=",
    () => "patientName=%00&startsAt=&durationMinutes=-5",
    () => "patientName=Form&startsAt=2030-01-01T09:00&durationMinutes=20",
    () => `patientId=${id}&startsAt=2030-01-01T09:00&durationMinutes=20`,
    () =>
      `patientId=${id}&patientName=Both&startsAt=2030-01-01T09:00&durationMinutes=20`,
    () => "doctorId=..%2F..&action=deactivate",
    () =>
      `doctorId=${doctorId}&action=${
        rand.pick(["deactivate", "reactivate", "end-sessions", "promote"])
      }`,
    () => `doctorId=${doctorId}&action=reset-password&password=short`,
    () => "name=New&email=not-an-email&password=x",
    () => "name=%F0%9F%92%A9&email=a%40b&password=" + "p".repeat(2000),
    () => "%zz=%zz&=&&&a",
  ])();
}

/** Bodies of every shape: wrong JSON, right JSON, forms, binary, nothing. */
function anyBody(rand: Random, pools: BodyPools): BodyInit | undefined {
  return rand.pick<() => BodyInit | undefined>([
    () => undefined,
    () => jsonBody(rand, pools),
    () => jsonBody(rand, pools),
    () => formBody(rand, pools),
    () => formBody(rand, pools),
    () => "x".repeat(70_000),
    () => new Uint8Array(Array.from({ length: 512 }, () => rand.next() * 256)),
    () => {
      const form = new FormData();
      form.set("action", "cancel");
      form.set("file", new Blob([new Uint8Array(64)]), "x.bin");
      return form;
    },
    () =>
      '--zzz\r\nContent-Disposition: form-data; name="action"\r\n\r\ncancel\r\n--zzz',
  ])();
}

function describe(value: BodyInit | undefined): string {
  if (value === undefined) return "no body";
  if (typeof value === "string") {
    return `${JSON.stringify(value.slice(0, 80))} (${value.length} chars)`;
  }
  return value.constructor.name;
}

/** The routes of the manifest, with the methods each one answers. */
function routesOfManifest() {
  return Object.entries(manifest.routes)
    .filter(([file]) => classifyRouteFile(file).kind === "route")
    .map(([file, module]) => {
      const pattern = routePattern(file);
      const handler = (module as { handler?: unknown }).handler;
      const methods = handler && typeof handler === "object"
        ? Object.keys(handler)
        : ["GET", "POST"];
      const regex = new RegExp(
        "^" + pattern.split(/(:\w+(?:\{[^}]*\})?)/).map((part) =>
          part.startsWith(":")
            ? "[^/]+"
            : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
        ).join("") + "$",
      );
      return { pattern, methods, regex };
    })
    .filter((route) => !EXCLUDED.has(route.pattern));
}

Deno.test(`HTTP fuzz: ${REQUESTS} hostile requests, no 500, refused requests change nothing`, async () => {
  const seed = Number(Deno.env.get("FUZZ_SEED") ?? Date.now() % 1_000_000);
  console.log(`HTTP fuzz seed ${seed}`);
  const rand = generator(seed);
  const server = await startServer();
  const sockets: { ws: WebSocket }[] = [];
  try {
    const admin = await new Client(server.url).signIn();
    const second = await addDoctor(admin, "other@clinic.test");
    const book = async (who: Client, patientName: string, minutes: number) =>
      await (await who.json("/api/appointments", {
        patientName,
        startsAt: startIn(minutes),
        durationMinutes: 30,
      })).json();
    const held = await book(admin, "Held", 1);
    const open = await book(admin, "Open", 1);
    const later = await book(admin, "Later", 120);
    const foreign = await book(second, "Foreign", 60);
    // A visit that took place: its session, report and note are real.
    await holdVisit({ id: held.id, visitUrl: held.visitUrl, doctor: admin });
    await (await admin.json(`/api/sessions/${held.id}/notes`, {
      text: "A note",
      baseVersion: 0,
    }, "PUT")).body?.cancel();
    // A visit going on: a patient waits in it for the whole run.
    const waiting = await join(
      await patientTicket({
        id: open.id,
        visitUrl: open.visitUrl,
        doctor: admin,
      }),
    );
    sockets.push(waiting);
    await waiting.next("waiting-for-peer");

    const accounts = await listDoctors(server.kv);
    const doctorIds = accounts.map((d) => d.id);
    const ids = [
      held.id,
      open.id,
      later.id,
      foreign.id,
      held.patient.id,
      foreign.patient.id,
      ...doctorIds,
      "0".repeat(32),
      rand.hex(32),
    ];
    const tokenOf = (url: string) => url.split("/").pop()!;
    const tokens = [
      tokenOf(held.visitUrl),
      tokenOf(open.visitUrl),
      tokenOf(held.patientDashboardUrl),
      tokenOf(foreign.visitUrl),
      tokenOf(foreign.patientDashboardUrl),
      "A".repeat(43),
    ];
    const cursorOf = async (who: Client, path: string) =>
      (await (await who.fetch(path)).json()).cursor as string;
    const cursors = [
      await cursorOf(admin, "/api/appointments?limit=1"),
      await cursorOf(admin, "/api/sessions?limit=1"),
      await cursorOf(admin, "/api/audit?limit=1"),
      "A".repeat(40),
    ].filter(Boolean).map(encodeURIComponent);

    /**
     * Each doctor's sign-in cookie. A request may sign a doctor out (or end
     * their sessions); a new sign-in is then written straight to the store,
     * so the run goes on signed in without meeting the sign-in limits.
     */
    const idOf = (email: string) => accounts.find((d) => d.email === email)!.id;
    const doctors = [
      { id: idOf(ADMIN.email), cookie: admin.cookie },
      { id: idOf("other@clinic.test"), cookie: second.cookie },
    ];
    const stillSignedIn = async () => {
      for (const d of doctors) {
        const res = await fetch(`${server.url}/api/appointments?limit=1`, {
          headers: { cookie: d.cookie },
        });
        await res.body?.cancel();
        if (res.status === 401) {
          const id = await startLoginSession(server.kv, d.id, {
            idleMs: server.config.sessionIdleMs,
            maxMs: server.config.sessionMaxMs,
          });
          d.cookie = `${cookieName(server.config)}=${id}`;
        }
      }
    };

    const routes = routesOfManifest();
    const queryValue = () =>
      rand.chance(0.6)
        ? encodeURIComponent(rand.pick(QUERY_VALUES))
        : rand.chance(0.5)
        ? rand.pick([...cursors, ...ids])
        : rand.pick(HOSTILE_SEGMENTS);
    const query = () =>
      rand.chance(0.3)
        ? `from=${encodeURIComponent(rand.pick(QUERY_VALUES.slice(0, 8)))}&to=${
          encodeURIComponent(rand.pick(QUERY_VALUES.slice(0, 8)))
        }`
        : Array.from(
          { length: 1 + Math.floor(rand.next() * 3) },
          () => `${rand.pick(QUERY_NAMES)}=${queryValue()}`,
        ).join("&");
    const fill = (pattern: string, known: number) =>
      pattern.replace(
        /:(\w+)(\{[^}]*\})?/g,
        (_, name: string) =>
          rand.chance(known)
            ? (name === "token" ? rand.pick(tokens) : rand.pick(ids))
            : rand.pick(HOSTILE_SEGMENTS),
      );
    const garbageCookies = [
      "",
      "clinic_session=" + "A".repeat(43),
      "clinic_session=%00; clinic_device=../..",
      `clinic_session=${"x".repeat(4000)}`,
      "clinic_session",
      "=; ;=;",
    ];
    const origins = [
      undefined,
      server.url,
      "https://evil.example",
      "null",
      "http://127.0.0.1",
      "\u00ff",
    ];
    const fetchSites = [undefined, "same-origin", "cross-site", "none", "x"];
    const methods = [
      "GET",
      "POST",
      "PUT",
      "PATCH",
      "DELETE",
      "HEAD",
      "OPTIONS",
      "FOO",
    ];

    /**
     * One request. Half are plausible (a method the route answers, known
     * ids, a doctor's cookie from this site, the body type the route reads),
     * so that they get past the first checks; the others are wild.
     */
    const request = () => {
      const plausible = rand.chance(0.5);
      const pools = { ids, doctorIds, startsAt: startIn(90) };
      if (rand.chance(0.04)) {
        return {
          plausible: false,
          method: rand.pick(methods),
          target: "/" + rand.pick(HOSTILE_SEGMENTS) + "/" +
            rand.pick(HOSTILE_SEGMENTS),
          headers: {} as Record<string, string>,
          payload: undefined as BodyInit | undefined,
        };
      }
      const route = rand.pick(routes);
      let target = fill(route.pattern, plausible ? 0.9 : 0.5);
      if (rand.chance(0.03)) target += "/";
      if (rand.chance(0.02)) target = target.replace("/", "//");
      if (rand.chance(0.5)) target += "?" + query();
      const method = plausible ? rand.pick(route.methods) : rand.pick(methods);
      const headers: Record<string, string> = {};
      let payload: BodyInit | undefined;
      const api = route.pattern.startsWith("/api/");
      if (method !== "GET" && method !== "HEAD") {
        payload = plausible
          ? (api ? jsonBody(rand, pools) : formBody(rand, pools))
          : anyBody(rand, pools);
      }
      const type = plausible
        ? (api
          ? rand.pick(["application/json", "application/json; charset=utf-8"])
          : "application/x-www-form-urlencoded")
        : rand.pick(CONTENT_TYPES);
      if (type && payload !== undefined) headers["content-type"] = type;
      const cookie = plausible
        ? (rand.chance(0.8) ? doctors[0].cookie : doctors[1].cookie)
        : rand.pick([
          doctors[0].cookie,
          doctors[1].cookie,
          `${doctors[0].cookie}; clinic_session=forged`,
          ...garbageCookies,
        ]);
      if (cookie) headers.cookie = cookie;
      const origin = plausible
        ? rand.pick([undefined, server.url])
        : rand.pick(origins);
      if (origin) headers.origin = origin;
      const site = plausible
        ? rand.pick([undefined, "same-origin"])
        : rand.pick(fetchSites);
      if (site) headers["sec-fetch-site"] = site;
      const accept = rand.pick(ACCEPTS);
      if (accept) headers.accept = accept;
      // fetch writes the true length, whatever is set here.
      if (rand.chance(0.1)) {
        headers["content-length"] = rand.pick([
          "0",
          "1",
          "99999999",
          "-1",
          "x",
        ]);
      }
      if (rand.chance(0.1)) {
        headers["x-forwarded-for"] = rand.pick([
          "1.2.3.4, ::1",
          "garbage",
          "1.2.3.4".repeat(500),
        ]);
      }
      if (rand.chance(0.05)) headers["if-none-match"] = '"x", W/"y"';
      if (rand.chance(0.05)) headers["x-long"] = "h".repeat(8000);
      if (rand.chance(0.05)) {
        headers.upgrade = "websocket";
        headers.connection = "upgrade";
      }
      return { plausible, method, target, headers, payload };
    };

    /**
     * What a refused request may still write: a refused sign-in is counted
     * and audited by design (`snapshot` already leaves out the counters).
     * The waiting patient's presence is renewed on the call's own clock.
     */
    const ONGOING = ['[["room_members"', '[["waiting_room"'];
    const kept = (text: string, pathname: string) =>
      text.split("\n").filter((row) =>
        !ONGOING.some((prefix) => row.startsWith(prefix)) &&
        !(pathname.startsWith("/login") &&
          ((row.startsWith('[["audit"') &&
            row.includes('"action":"signin.')) ||
            row.startsWith('[["known_devices"')))
      );
    /** Records Deno KV removes when their time is up, whatever the request. */
    const EXPIRING = [
      '[["join_tickets"',
      '[["flash"',
      '[["visit_links"',
      '[["patient_links"',
      '[["setup_link"',
      '[["room_chat"',
    ];
    /** Rows the request added or changed, and rows gone that do not expire. */
    const written = (before: string, after: string, pathname: string) => {
      const old = kept(before, pathname);
      const now = kept(after, pathname);
      const oldRows = new Set(old);
      const nowRows = new Set(now);
      const changed = [
        ...now.filter((row) => !oldRows.has(row)),
        ...old.filter((row) =>
          !nowRows.has(row) && !EXPIRING.some((p) => row.startsWith(p))
        ),
      ];
      return changed.map((row) => JSON.stringify(JSON.parse(row)[0]));
    };

    const hits = new Map<string, number>();
    const statuses = new Map<string, number>();
    const failures: string[] = [];
    let refusedByFetch = 0;
    let refused = 0;
    let plausibleCount = 0;
    for (let i = 0; i < REQUESTS; i++) {
      const { plausible, method, target, headers, payload } = request();
      const cookie = headers.cookie ?? "";
      const who = cookie === doctors[0].cookie
        ? "admin"
        : cookie === doctors[1].cookie
        ? "second doctor"
        : JSON.stringify(cookie.slice(0, 40));
      const what = `#${i} ${method} ${target.slice(0, 200)} as ${who}, ` +
        `content-type ${headers["content-type"] ?? "-"}, origin ${
          headers.origin ?? "-"
        }, body ${describe(payload)}`;
      const before = await snapshot(server.kv);
      let res: Response;
      try {
        res = await fetch(server.url + target, {
          method,
          headers,
          body: payload,
          redirect: "manual",
        });
        await res.body?.cancel();
      } catch (error) {
        // fetch itself refuses some requests (a lone "%" in the URL).
        if (
          error instanceof TypeError &&
          !/connection|refused|reset|closed|error sending/i.test(error.message)
        ) {
          refusedByFetch++;
          continue;
        }
        console.error(`the server failed on ${what} (seed ${seed})`);
        throw error;
      }
      if (plausible) plausibleCount++;
      const pathname = new URL(server.url + target).pathname;
      const route = routes.find((r) => r.regex.test(pathname))?.pattern ??
        "(no route)";
      hits.set(route, (hits.get(route) ?? 0) + 1);
      const kind = `${String(res.status)[0]}xx`;
      statuses.set(kind, (statuses.get(kind) ?? 0) + 1);
      if (res.status >= 500) failures.push(`${what}: ${res.status}`);
      if (res.status >= 400) {
        refused++;
        const changed = written(before, await snapshot(server.kv), pathname);
        if (changed.length > 0) {
          failures.push(
            `${what}: ${res.status}, and it wrote ${changed.join(" ")}`,
          );
        }
      } else if (pathname === "/logout" || pathname === "/doctors") {
        await stillSignedIn();
      }
    }
    const reached = routes.filter((r) => hits.has(r.pattern));
    console.log(
      `HTTP fuzz: ${REQUESTS} requests (${plausibleCount} plausible, ` +
        `${refused} refused and checked, ${refusedByFetch} not sent by ` +
        `fetch), ${reached.length} of ${routes.length} routes reached; ` +
        [...statuses].sort().map(([k, n]) => `${n} ${k}`).join(", "),
    );
    assert.deepEqual(failures, [], `seed ${seed}`);
    assert.deepEqual(
      routes.filter((r) => !hits.has(r.pattern)).map((r) => r.pattern),
      [],
      "every route is reached",
    );
    const alive = await fetch(`${server.url}/login`);
    assert.equal(alive.status, 200);
    await alive.body?.cancel();
  } finally {
    for (const socket of sockets) socket.ws.close();
    await server.close();
  }
});
