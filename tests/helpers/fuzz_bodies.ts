/**
 * Request bodies for the HTTP fuzz test: JSON of the right and the wrong
 * shapes, the pages' forms, binary and nothing, with the content types that
 * may be sent with them; all drawn from a seeded generator.
 *
 * @module
 */
import type { Random } from "./seeded_random.ts";

export const CONTENT_TYPES = [
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

function nested(depth: number, open: string, close: string) {
  return open.repeat(depth) + close.repeat(depth);
}

export interface BodyPools {
  ids: string[];
  doctorIds: string[];
  startsAt: string;
  /** The versions of the clinic's consent, for a check-in that can pass. */
  consentVersions: string[];
}

/** JSON of the right and the wrong shapes, and text that is not JSON. */
export function jsonBody(rand: Random, pools: BodyPools): string {
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
    () =>
      JSON.stringify({
        name: rand.pick(["Ana Pérez", "", "a\r\nb", "x".repeat(200)]),
        consent: rand.pick([true, false, "yes"]),
        consentVersion: rand.pick([...pools.consentVersions, "0".repeat(64)]),
      }),
    () =>
      JSON.stringify({
        preset: rand.pick(["late5", "late10", "soon", "stay", "other"]),
      }),
    () =>
      JSON.stringify({
        text: rand.pick(["Running late", "", "a\u202eb", "t".repeat(300)]),
      }),
    () => JSON.stringify({ preset: "soon", text: "both" }),
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
export function formBody(rand: Random, pools: BodyPools): string {
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
    () => `language=${rand.pick(["en", "es", "fr", "es%0d%0aX: 1", ""])}`,
    () => "language=es&language=en",
    () =>
      `name=${
        rand.pick(["Ana%20P%C3%A9rez", "", "a%0Ab"])
      }&consent=yes&consentVersion=${rand.pick(pools.consentVersions)}`,
    () =>
      `name=Dr%20Fuzz&title=${
        rand.pick(["GP", "", "a%0D%0Ab", "%E2%80%AE"])
      }&version=${rand.pick(["x", "0".repeat(20)])}`,
    () => "%zz=%zz&=&&&a",
  ])();
}

/** Bodies of every shape: wrong JSON, right JSON, forms, binary, nothing. */
export function anyBody(rand: Random, pools: BodyPools): BodyInit | undefined {
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

/** A body as a failure message shows it: its start and length, or its kind. */
export function describe(value: BodyInit | undefined): string {
  if (value === undefined) return "no body";
  if (typeof value === "string") {
    return `${JSON.stringify(value.slice(0, 80))} (${value.length} chars)`;
  }
  return value.constructor.name;
}
