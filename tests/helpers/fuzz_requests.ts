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
import {
  ACCEPTS,
  FETCH_SITES,
  GARBAGE_COOKIES,
  HOSTILE_SEGMENTS,
  METHODS,
  QUERY_NAMES,
  QUERY_VALUES,
} from "./fuzz_values.ts";
import { startIn } from "./server.ts";

/** What the requests are made of: the clinic's routes, ids and doctors. */
export interface FuzzTargets {
  /** The server's own address, a plausible origin. */
  url: string;
  routes: FuzzRoute[];
  ids: string[];
  doctorIds: string[];
  tokens: string[];
  cursors: string[];
  consentVersions: string[];
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
  {
    url,
    routes,
    ids,
    doctorIds,
    tokens,
    cursors,
    consentVersions,
    doctors,
  }: FuzzTargets,
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
  const origins = [
    undefined,
    url,
    "https://evil.example",
    "null",
    "http://127.0.0.1",
    "\u00ff",
  ];

  /**
   * One request. Half are plausible (a method the route answers, known
   * ids, a doctor's cookie from this site, the body type the route reads),
   * so that they get past the first checks; the others are wild.
   */
  const request = () => {
    const plausible = rand.chance(0.5);
    const pools = {
      ids,
      doctorIds,
      startsAt: startIn(90),
      consentVersions,
    };
    if (rand.chance(0.04)) {
      return {
        plausible: false,
        method: rand.pick(METHODS),
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
    const method = plausible ? rand.pick(route.methods) : rand.pick(METHODS);
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
        ...GARBAGE_COOKIES,
      ]);
    if (cookie) headers.cookie = cookie;
    const origin = plausible ? rand.pick([undefined, url]) : rand.pick(origins);
    if (origin) headers.origin = origin;
    const site = plausible
      ? rand.pick([undefined, "same-origin"])
      : rand.pick(FETCH_SITES);
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
