import assert from "node:assert/strict";
import { isJson } from "./input.ts";

Deno.test("only application/json, with at most a UTF-8 charset, is JSON", () => {
  const refused = [
    null,
    "",
    " ",
    "text/plain",
    "text/plain; application/json",
    "text/plain;application/json",
    "text/plain; charset=utf-8; application/json",
    "application/x-www-form-urlencoded; application/json",
    "multipart/form-data; boundary=application/json",
    "application/jsonp",
    "application/json-patch+json",
    "application/ld+json",
    "application/json2",
    "application/json/x",
    "application/json, text/plain",
    "text/html, application/json",
    "application/json;",
    "application/json; charset",
    "application/json; charset=",
    'application/json; charset="utf-8',
    "application/json; charset=utf-8'",
    "application/json; charset=latin1",
    "application/json; charset=utf-16",
    "application/json; charset=utf-8; charset=latin1",
    "application/json; foo=application/json",
    "application/json; boundary=x",
    "application/json\u0000",
    "application/\u0000json",
    "application /json",
    "application/ json",
    "*/*",
    "application/*",
    "json",
    "/json",
    "application/json" + "; charset=utf-8".repeat(20),
  ];
  for (const header of refused) {
    assert.equal(isJson(header), false, JSON.stringify(header));
  }
  const accepted = [
    "application/json",
    "Application/JSON",
    "application/json; charset=utf-8",
    "application/json;charset=UTF-8",
    'application/json; charset="utf-8"',
    "application/json ; Charset=Utf-8",
    " application/json ",
  ];
  for (const header of accepted) {
    assert.equal(isJson(header), true, JSON.stringify(header));
  }
});
