/**
 * The values the HTTP fuzz test draws from that are not what a route
 * expects: path segments, query names and values, cookies, fetch sites,
 * methods and `Accept` headers.
 *
 * @module
 */

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

/** Cookies that are no sign-in, or not even a cookie. */
export const GARBAGE_COOKIES = [
  "",
  "clinic_session=" + "A".repeat(43),
  "clinic_session=%00; clinic_device=../..",
  `clinic_session=${"x".repeat(4000)}`,
  "clinic_session",
  "=; ;=;",
];

/** `Sec-Fetch-Site` values, right and wrong. */
export const FETCH_SITES = [
  undefined,
  "same-origin",
  "cross-site",
  "none",
  "x",
];

/** Methods the routes answer, and one no server knows. */
export const METHODS = [
  "GET",
  "POST",
  "PUT",
  "PATCH",
  "DELETE",
  "HEAD",
  "OPTIONS",
  "FOO",
];
