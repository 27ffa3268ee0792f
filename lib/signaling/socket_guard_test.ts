import assert from "node:assert/strict";
import { SocketCounter, TokenBucket } from "./socket_guard.ts";

const T0 = 1_000_000;

Deno.test("token bucket: a full burst is taken at once, then the next is refused", () => {
  const bucket = new TokenBucket(5, 1, T0);
  for (let i = 0; i < 5; i++) assert.equal(bucket.take(T0), true);
  assert.equal(bucket.take(T0), false);
  assert.equal(bucket.take(T0 + 999), false, "not a whole token yet");
});

Deno.test("token bucket: refills at its rate, never past its burst", () => {
  const bucket = new TokenBucket(3, 2, T0);
  for (let i = 0; i < 3; i++) bucket.take(T0);
  // Two per second: one token each half second.
  assert.equal(bucket.take(T0 + 500), true);
  assert.equal(bucket.take(T0 + 500), false);
  assert.equal(bucket.take(T0 + 1500), true);
  assert.equal(bucket.take(T0 + 1500), true);
  assert.equal(bucket.take(T0 + 1500), false);
  // A long silence fills it to the burst, not beyond.
  const later = T0 + 3_600_000;
  for (let i = 0; i < 3; i++) assert.equal(bucket.take(later), true);
  assert.equal(bucket.take(later), false);
});

Deno.test("token bucket: a refused message costs nothing; part-tokens add up", () => {
  const bucket = new TokenBucket(1, 4, T0);
  assert.equal(bucket.take(T0), true);
  // 100 ms is 0.4 of a token: refused, and the 0.4 is kept.
  assert.equal(bucket.take(T0 + 100), false);
  assert.equal(bucket.take(T0 + 200), false);
  assert.equal(bucket.take(T0 + 250), true, "0.4 + 0.4 + 0.2");
  assert.equal(bucket.take(T0 + 250), false);
});

Deno.test("socket counter: per address and in total; a place is given back once", () => {
  const counter = new SocketCounter({ perAddress: 2, total: 3 });
  const a1 = counter.admit("192.0.2.1");
  const a2 = counter.admit("192.0.2.1");
  assert.equal(counter.admit("192.0.2.1"), "address_full");
  const b1 = counter.admit("192.0.2.2");
  assert.equal(counter.total, 3);
  assert.equal(counter.admit("192.0.2.3"), "server_full");
  assert.ok(typeof a1 === "object" && typeof a2 === "object");
  assert.ok(typeof b1 === "object");
  a1.release();
  a1.release();
  assert.equal(counter.total, 2, "a second release gives nothing back");
  const a3 = counter.admit("192.0.2.1");
  assert.ok(typeof a3 === "object", "the address has a place again");
  b1.release();
  assert.equal(counter.admit("192.0.2.1"), "address_full");
  for (const place of [a2, a3]) place.release();
  assert.equal(counter.total, 0);
});
