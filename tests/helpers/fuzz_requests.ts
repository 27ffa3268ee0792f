/**
 * The requests of the HTTP fuzz test, over the clinic's own routes, ids and
 * doctors: hostile path segments and query values, forged cookies, foreign
 * origins, wrong lengths and odd headers, all drawn from a seeded generator.
 *
 * @module
 */
import { anyBody, CONTENT_TYPES, formBody, jsonBody } from "./fuzz_bodies.ts";
import type { FuzzRoute } from "./fuzz_routes.ts";
import type { Random } from "./seeded_random.ts";
import { startIn } from "./server.ts";

/** Path segments and query values that are not what a route expects. */
export const HOSTILE_SEGMENTS = [
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

export const QUERY_NAMES = [
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

export const QUERY_VALUES = [
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

export const ACCEPTS = [
  undefined,
  "application/json",
  "text/html",
  "*/*",
  "text/calendar",
  "\u00ff",
];

/** What the requests are made of: the clinic's routes, ids and doctors. */
export interface FuzzTargets {
  /** The server's own address, a plausible origin. */
  url: string;
  routes: FuzzRoute[];
  ids: string[];
  doctorIds: string[];
  tokens: string[];
  cursors: string[];
  /** Read at each request: a cookie is renewed when a request signs out. */
  doctors: { cookie: string }[];
}

export interface FuzzRequest {
  plausible: boolean;
  method: string;
  target: string;
  headers: Record<string, string>;
  payload: BodyInit | undefined;
}

/** Makes one request at each call, drawn from `rand`. */
export function requestMaker(
  rand: Random,
  { url, routes, ids, doctorIds, tokens, cursors, doctors }: FuzzTargets,
): () => FuzzRequest {
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
    url,
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
    const origin = plausible ? rand.pick([undefined, url]) : rand.pick(origins);
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
  return request;
}
