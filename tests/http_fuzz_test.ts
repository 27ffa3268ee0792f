/**
 * Random hostile requests against every route of the running server: the
 * routes come from the generated manifest (a new route is fuzzed without
 * touching this file), with parameters, query strings, methods, headers,
 * cookies and bodies drawn from a seeded generator, signed in as a doctor,
 * as another doctor, with forged cookies and as nobody. No answer may be a
 * 500, the server stays up, and a refused request (400 and above) changes
 * nothing in the store. Every route must be reached at least once.
 *
 * The WebSocket route is left to the signaling tests, `/static/` to
 * `attack_static_test.ts`.
 *
 * Replay a failure with
 * `FUZZ_SEED=<seed printed> deno test -A tests/http_fuzz_test.ts`;
 * `FUZZ_REQUESTS` changes how many requests are sent.
 */
import assert from "node:assert/strict";
import { describe } from "./helpers/fuzz_bodies.ts";
import { fuzzClinic } from "./helpers/fuzz_clinic.ts";
import { requestMaker } from "./helpers/fuzz_requests.ts";
import { routesOfManifest } from "./helpers/fuzz_routes.ts";
import { generator } from "./helpers/seeded_random.ts";
import { snapshot, startServer } from "./helpers/server.ts";
import { written } from "./helpers/store_writes.ts";

const REQUESTS = Number(Deno.env.get("FUZZ_REQUESTS") ?? 3000);

Deno.test(`HTTP fuzz: ${REQUESTS} hostile requests, no 500, refused requests change nothing`, async () => {
  const seed = Number(Deno.env.get("FUZZ_SEED") ?? Date.now() % 1_000_000);
  console.log(`HTTP fuzz seed ${seed}`);
  const rand = generator(seed);
  const server = await startServer();
  const sockets: { ws: WebSocket }[] = [];
  try {
    const clinic = await fuzzClinic(server, rand, sockets);
    const { doctors, stillSignedIn } = clinic;
    const routes = await routesOfManifest();
    const request = requestMaker(rand, { url: server.url, routes, ...clinic });

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
