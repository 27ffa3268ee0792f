/**
 * An outsider's attempts to read files through `/static/`, sent as raw HTTP
 * so that no client tidies the path first: every spelling of `..`, schemes,
 * absolute paths, separators, NUL, overlong UTF-8 and malformed escapes.
 * Each must be answered 400 or 404, and no answer may carry a byte of a file
 * outside `static/`. Then the smaller doors: ranges, content types, cursors
 * and calendar invites.
 */
import assert from "node:assert/strict";
import { STATIC_DIR } from "../lib/web/build.ts";
import { loadStaticFiles } from "../lib/web/static_files.ts";
import { START_PERMISSIONS } from "./helpers/permissions.ts";
import {
  addDoctor,
  Client,
  snapshot,
  startIn,
  startServer,
} from "./helpers/server.ts";
import { freePort } from "./helpers/ports.ts";

/** Sends one request line as written; answers the status and the body. */
async function rawGet(
  port: number,
  target: string,
): Promise<{ status: number; body: string }> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    await conn.write(
      new TextEncoder().encode(
        `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`,
      ),
    );
    const chunks: Uint8Array[] = [];
    const buffer = new Uint8Array(64 * 1024);
    while (true) {
      const n = await conn.read(buffer);
      if (n === null) break;
      chunks.push(buffer.slice(0, n));
    }
    const text = new TextDecoder("latin1").decode(
      new Uint8Array(chunks.flatMap((c) => [...c])),
    );
    const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
    return { status, body: text.slice(text.indexOf("\r\n\r\n") + 4) };
  } finally {
    try {
      conn.close();
    } catch {
      // Already closed by the server.
    }
  }
}

function hostilePaths(canaryDir: string): string[] {
  const abs = encodeURIComponent(`${canaryDir}/canary.txt`);
  return [
    "/static/../deno.json",
    "/static/%2e%2e/deno.json",
    "/static/%2E%2E/README.md",
    "/static/.%2e/deno.json",
    "/static/%2e%2e%2fdeno.json",
    "/static/..%2fdeno.json",
    "/static/..%2Flib%2Fserver.ts%3F.js",
    "/static/%252e%252e/deno.json",
    "/static/%252e%252e%252fdeno.json",
    "/static/..%5cdeno.json",
    "/static/%2e%2e%5cdeno.json",
    "/static/..\\deno.json",
    "/static/file:../deno.json%3F.txt",
    "/static/file:../data/clinic.kv%3F.txt",
    "/static/file:%2F%2F%2Fetc%2Fhostname",
    `/static/file://${canaryDir}/canary.txt`,
    "/static/http://127.0.0.1/etc/hostname",
    "/static/%2Fetc%2Fhostname%3F.txt",
    "/static/%2Fetc%2Fpasswd",
    `/static/${abs}`,
    `/static/${abs}%3F.css`,
    `/static//${canaryDir}/canary.txt`,
    "/static//etc/passwd",
    "/static/styles.css%00.js",
    "/static/%00",
    "/static/styles.css%3F.js",
    "/static/styles.css%23.js",
    "/static/styles.css?/../../deno.json",
    "/static/%c0%ae%c0%ae/deno.json",
    "/static/%c0%ae%c0%ae%c0%afdeno.json",
    "/static/%e0%80%ae%e0%80%ae/deno.json",
    "/static/%c0%2e%c0%2e/deno.json",
    "/static/%ef%bc%8e%ef%bc%8e%ef%bc%8fdeno.json",
    "/static/%e2%88%95..%e2%88%95deno.json",
    "/static/%E0%A4%A.js",
    "/static/%",
    "/static/%zz.css",
    "/static/%u002e%u002e/deno.json",
    "/static/./styles.css/../../deno.json",
    "/static/.%2fstyles.css",
    "/static/_islands/../../deno.json",
    "/static/_islands/%2e%2e/%2e%2e/deno.json",
    "/static/_islands/..%252f..%252fdeno.json",
    "/static/STYLES.CSS",
    "/static/.gitignore",
    "/static/.%2e%2e/deno.json",
    `/static/${"..%2f".repeat(40)}etc/passwd`,
    `/static/${"a/".repeat(2000)}x.css`,
    "/static/con.css",
    "/static/styles.css/",
    "/static/styles.css.",
    "/static/styles.css%20",
    "/%2e%2e/deno.json",
    "/static%2f..%2fdeno.json",
    "/static/..;/deno.json",
    "/static/~/deno.json",
  ];
}

/**
 * Sends each path to the server on `port`; answers what went wrong: an
 * answer other than 400 or 404 (a 200 only for a real file of static/,
 * whole: a query string, for example, does not change which file a path
 * names), or one carrying any of the `leaks` bytes.
 */
async function hostileFailures(
  port: number,
  paths: string[],
  leaks: string[],
): Promise<string[]> {
  const served = new Set(
    [...(await loadStaticFiles(STATIC_DIR)).values()].map((f) =>
      new TextDecoder("latin1").decode(f.body)
    ),
  );
  const failures: string[] = [];
  for (const path of paths) {
    const { status, body } = await rawGet(port, path);
    const allowed = status === 400 || status === 404 ||
      (status === 200 && served.has(body));
    if (!allowed) failures.push(`${path} answered ${status}`);
    const leaked = leaks.find((bytes) => body.includes(bytes));
    if (leaked) failures.push(`${path} leaked ${JSON.stringify(leaked)}`);
  }
  return failures;
}

/** At least this many hostile paths are tried (the list is checked). */
const MIN_HOSTILE_PATHS = 50;

Deno.test("no request reads a file outside static/", async () => {
  const canaryDir = await Deno.makeTempDir();
  const secret = `canary-${crypto.randomUUID()}`;
  await Deno.writeTextFile(`${canaryDir}/canary.txt`, secret);
  // Bytes that would show a file outside static/ came back.
  const leaks = [
    secret,
    (await Deno.readTextFile("/etc/hostname").catch(() => "")).trim() ||
    secret,
    "root:x:0",
    '"tasks"',
    "createClinicApp",
    "# Clinic video visits",
    "SQLite format",
  ];
  const server = await startServer();
  try {
    const port = Number(new URL(server.url).port);
    const paths = hostilePaths(canaryDir);
    assert.ok(paths.length >= MIN_HOSTILE_PATHS, `${paths.length} paths`);
    assert.deepEqual(await hostileFailures(port, paths, leaks), []);
  } finally {
    await server.close();
    await Deno.remove(canaryDir, { recursive: true });
  }
});

Deno.test("the files in static/ are served, typed and cached", async () => {
  const server = await startServer();
  try {
    const assets = JSON.parse(
      await Deno.readTextFile(
        new URL("../static/_islands/assets.json", import.meta.url),
      ),
    ) as { boot: string; islands: Record<string, string> };
    for (const path of [assets.boot, ...Object.values(assets.islands)]) {
      const res = await fetch(server.url + path);
      assert.equal(res.status, 200, path);
      assert.equal(
        res.headers.get("content-type"),
        "text/javascript; charset=utf-8",
      );
      assert.equal(
        res.headers.get("cache-control"),
        "public, max-age=31536000, immutable",
      );
      await res.body?.cancel();
    }
    const css = await fetch(`${server.url}/static/styles.css`);
    assert.equal(css.status, 200);
    assert.equal(css.headers.get("content-type"), "text/css; charset=utf-8");
    assert.equal(css.headers.get("cache-control"), "public, max-age=300");
    assert.equal(
      await css.text(),
      await Deno.readTextFile(new URL("../static/styles.css", import.meta.url)),
    );
    const etag = css.headers.get("etag");
    assert.ok(etag);
    const again = await fetch(`${server.url}/static/styles.css`, {
      headers: { "If-None-Match": etag },
    });
    assert.equal(again.status, 304);
    await again.body?.cancel();
    const head = await fetch(`${server.url}/static/styles.css`, {
      method: "HEAD",
    });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get("content-type"), "text/css; charset=utf-8");
    // GET is compressed, which makes its ETag weak; HEAD is not.
    assert.equal(head.headers.get("etag"), etag.replace(/^W\//, ""));
    assert.equal(await head.text(), "");
  } finally {
    await server.close();
  }
});

const root = new URL("../", import.meta.url);

Deno.test("the start task's permissions: no -A, reads only static/ and data/, writes only data/", async () => {
  const lists = (name: string) =>
    START_PERMISSIONS.filter((f) =>
      f === `--allow-${name}` || f.startsWith(`--allow-${name}=`)
    ).map((f) => f.split("=")[1]);
  for (const flag of ["-A", "--allow-all", "--allow-run", "--allow-ffi"]) {
    assert.ok(!START_PERMISSIONS.includes(flag), flag);
  }
  assert.deepEqual(lists("read"), ["static,data"]);
  assert.deepEqual(lists("write"), ["data"]);
  // The documented deno serve lines give the same flags, never -A.
  for (const doc of ["README.md", "docs/deploy.md"]) {
    const text = await Deno.readTextFile(new URL(doc, root));
    const lines = text.match(/deno serve [^`\n]*/g) ?? [];
    const runnable = lines.filter((l) => l.includes("main.ts"));
    assert.ok(runnable.length > 0, doc);
    for (const line of runnable) {
      assert.doesNotMatch(line, /(^|\s)(-A|--allow-all)(\s|$)/, doc);
      for (const flag of START_PERMISSIONS) {
        assert.ok(line.split(/\s+/).includes(flag), `${doc}: ${flag}`);
      }
    }
  }
});

Deno.test("started with the start task's exact flags, the server serves no file outside static/ and cannot read one", async () => {
  // The KV file sits in data/, so the flags need no widening.
  const kvDir = `data/attack-${crypto.randomUUID()}`;
  await Deno.mkdir(new URL(kvDir, root), { recursive: true });
  const canaryDir = await Deno.makeTempDir();
  const secret = `canary-${crypto.randomUUID()}`;
  await Deno.writeTextFile(`${canaryDir}/canary.txt`, secret);
  try {
    const port = freePort();
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", ...START_PERMISSIONS, "start.ts"],
      cwd: root,
      env: {
        PORT: String(port),
        KV_PATH: `${kvDir}/clinic.kv`,
        NO_COLOR: "1",
        LOG_LEVEL: "warn",
      },
      stdout: "piped",
      stderr: "inherit",
    }).spawn();
    const reader = child.stdout.pipeThrough(new TextDecoderStream())
      .getReader();
    try {
      let out = "";
      while (!out.includes("Clinic video visits:")) {
        const { value, done } = await reader.read();
        if (done) break;
        out += value;
      }
      assert.match(out, /Clinic video visits:/);
      const kvName = encodeURIComponent(`${kvDir}/clinic.kv`);
      const paths = [
        ...hostilePaths(canaryDir),
        `/static/file:../${kvDir}/clinic.kv%3F.txt`,
        `/static/..%2f${kvName}`,
        `/static/%2e%2e/${kvDir}/clinic.kv`,
        `/static/../${kvDir}/clinic.kv`,
      ];
      assert.deepEqual(
        await hostileFailures(port, paths, [
          secret,
          "SQLite format",
          '"tasks"',
          "root:x:0",
        ]),
        [],
      );
      assert.equal((await rawGet(port, "/static/styles.css")).status, 200);
    } finally {
      child.kill("SIGTERM");
      await reader.cancel();
      await child.status;
    }

    // A process with the same flags in the same folder is refused every
    // file outside static/ and data/, and every write outside data/.
    const probe = `${canaryDir}/probe.ts`;
    await Deno.writeTextFile(
      probe,
      `const outcomes: Record<string, string> = {};
const attempt = async (name: string, f: () => Promise<unknown>) => {
  try { await f(); outcomes[name] = "ok"; }
  catch (e) { outcomes[name] = (e as Error).name; }
};
for (const file of Deno.args) {
  await attempt("read " + file, () => Deno.readFile(file));
}
await attempt("write static", () => Deno.writeTextFile("static/x.css", "x"));
await attempt("write tmp", () => Deno.writeTextFile(Deno.args[0] + ".w", "x"));
await attempt("write data", () => Deno.writeTextFile("${kvDir}/x", "x"));
console.log(JSON.stringify(outcomes));
`,
    );
    const outside = [
      `${canaryDir}/canary.txt`,
      "/etc/hostname",
      "/etc/passwd",
      "deno.json",
      "lib/server.ts",
    ];
    const result = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--no-prompt", ...START_PERMISSIONS, probe, ...outside],
      cwd: root,
      stdout: "piped",
      stderr: "inherit",
    }).output();
    const outcomes = JSON.parse(new TextDecoder().decode(result.stdout));
    assert.deepEqual(outcomes, {
      ...Object.fromEntries(
        outside.map((file) => [`read ${file}`, "NotCapable"]),
      ),
      "write static": "NotCapable",
      "write tmp": "NotCapable",
      "write data": "ok",
    });
  } finally {
    await Deno.remove(new URL(kvDir, root), { recursive: true });
    await Deno.remove(canaryDir, { recursive: true });
  }
});

Deno.test("ranges, content types and cursors from outside are refused, never a 500", async (t) => {
  const server = await startServer();
  try {
    const doctor = await new Client(server.url).signIn();
    const other = await addDoctor(doctor, "other@clinic.test");
    const early = "2026-01-01T00:00:00Z";
    const late = "2026-02-01T00:00:00Z";

    await t.step("a range that ends before it starts is a 400", async () => {
      for (const path of ["/api/appointments", "/api/sessions"]) {
        for (const [from, to] of [[late, early], [early, early]]) {
          const res = await doctor.fetch(
            `${path}?from=${encodeURIComponent(from)}&to=${
              encodeURIComponent(to)
            }`,
          );
          assert.equal(res.status, 400, `${path} ${from} ${to}`);
          const body = await res.json();
          assert.equal(body.error.code, "invalid_input");
          assert.ok(body.error.fields.to);
        }
      }
      const page = await doctor.fetch("/history?from=2026-02-01&to=2026-01-01");
      assert.equal(page.status, 400);
      await page.body?.cancel();
    });

    await t.step("only application/json is read as JSON", async () => {
      const types = [
        "text/plain; application/json",
        "text/plain;application/json",
        "application/jsonp",
        "application/json-patch+json",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=application/json",
        "text/html, application/json",
        "application/json; charset=latin1",
        "application/json; foo=application/json",
        "APPLICATION/XML; application/json",
        " application/json2",
        "",
      ];
      const before = await snapshot(server.kv);
      for (const type of types) {
        const res = await doctor.fetch("/api/appointments", {
          method: "POST",
          headers: type ? { "content-type": type } : {},
          body: JSON.stringify({
            patientName: "Ada",
            startsAt: startIn(60),
            durationMinutes: 20,
          }),
        });
        assert.equal(res.status, 415, JSON.stringify(type));
        await res.body?.cancel();
      }
      assert.equal(await snapshot(server.kv), before);
      const ok = await doctor.fetch("/api/appointments", {
        method: "POST",
        headers: { "content-type": "Application/JSON; charset=UTF-8" },
        body: JSON.stringify({
          patientName: "Ada",
          startsAt: startIn(60),
          durationMinutes: 20,
        }),
      });
      assert.equal(ok.status, 201);
      await ok.body?.cancel();
    });

    await t.step(
      "a cursor works only in the listing that made it",
      async () => {
        for (let i = 0; i < 3; i++) {
          const res = await doctor.json("/api/appointments", {
            patientName: `P${i}`,
            startsAt: startIn(120 + i * 30),
            durationMinutes: 20,
          });
          await res.body?.cancel();
        }
        const first = await (await doctor.fetch("/api/appointments?limit=1"))
          .json();
        assert.ok(first.cursor);
        const cursor = encodeURIComponent(first.cursor);
        const same = await doctor.fetch(
          `/api/appointments?limit=1&cursor=${cursor}`,
        );
        assert.equal(same.status, 200);
        await same.body?.cancel();
        for (
          const [who, path] of [
            [other, `/api/appointments?limit=1&cursor=${cursor}`],
            [
              doctor,
              `/api/appointments?limit=1&from=${
                encodeURIComponent(startIn(100))
              }&cursor=${cursor}`,
            ],
            [doctor, `/api/sessions?cursor=${cursor}`],
            [doctor, `/api/audit?cursor=${cursor}`],
            [doctor, `/api/appointments?cursor=${"A".repeat(40)}`],
          ] as const
        ) {
          const res = await who.fetch(path);
          assert.equal(res.status, 400, path);
          assert.equal((await res.json()).error.code, "invalid_cursor");
        }
      },
    );

    await t.step("the doctor's calendar invite names no patient", async () => {
      const created = await (await doctor.json("/api/appointments", {
        patientName: "Zelda Private",
        reason: "Sensitive reason",
        startsAt: startIn(200),
        durationMinutes: 20,
      })).json();
      const ics = await (await doctor.fetch(
        `/appointments/${created.id}/invite.ics`,
      )).text();
      assert.doesNotMatch(ics, /Zelda|Sensitive/);
      assert.match(ics, /SUMMARY:Video visit\r\n/);
    });
  } finally {
    await server.close();
  }
});
