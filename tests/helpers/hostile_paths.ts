/**
 * Hostile paths under `/static/`, sent as raw HTTP so that no client tidies
 * the path first, and the check that each answer is a refusal (or a real
 * file of static/, whole) carrying no byte of a file outside it.
 *
 * @module
 */
import { STATIC_DIR } from "@/lib/web/assets.ts";
import { loadStaticFiles } from "@/lib/web/static_files.ts";

/** Sends one request line as written; answers the status and the body. */
export async function rawGet(
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

/**
 * Every spelling of `..`, schemes, absolute paths, separators, NUL, overlong
 * UTF-8 and malformed escapes; some name a canary file in `canaryDir`.
 */
export function hostilePaths(canaryDir: string): string[] {
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
export async function hostileFailures(
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
