/**
 * Page benchmarks: the doctor's dashboard with 100 and with 10,000
 * appointments in Deno KV (it must cost the same: it reads one page through
 * an index), and everything a patient's browser downloads for the visit
 * page before the call's own bundle.
 *
 * @module
 */
import { createAppointment } from "@/lib/store/appointments.ts";
import { randomToken } from "@/lib/auth/tokens.ts";
import { windowEnd } from "@/lib/clinic/visit_window.ts";
import {
  Client,
  startServer,
  type TestServer,
} from "@/tests/helpers/server.ts";
import { percentile, type Row } from "./table.ts";

const DAY = 24 * 3_600_000;

async function seed(server: TestServer, doctorId: string, count: number) {
  const now = Date.now();
  const batch = 200;
  for (let i = 0; i < count; i += batch) {
    await Promise.all(
      Array.from({ length: Math.min(batch, count - i) }, (_, j) => {
        const n = i + j;
        // Spread over a year before and after today, a few every day.
        const startsAt = now + Math.round((n / count - 0.5) * 365 * DAY);
        return createAppointment(server.kv, {
          doctorId,
          patient: { name: `Patient ${n}`, email: `p${n}@example.org` },
          reason: "Follow-up",
          startsAt,
          durationMinutes: 20,
        }, {
          visit: randomToken(),
          patientLink: randomToken(),
          patientLinkValidMs: DAY,
          visitLinkEnds: windowEnd,
        });
      }),
    );
  }
}

/** Times of `runs` requests for a page, after 20 that warm up. */
export async function timePage(
  client: Client,
  path: string,
  runs: number,
): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < runs + 20; i++) {
    const t = performance.now();
    const res = await client.fetch(path);
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
    if (i >= 20) times.push(performance.now() - t); // the first 20 warm up
  }
  return times;
}

export async function doctorId(server: TestServer): Promise<string> {
  for await (
    const entry of server.kv.list<string>({ prefix: ["doctors_by_email"] })
  ) {
    return entry.value;
  }
  throw new Error("no doctor");
}

export async function dashboardRows(): Promise<Row[]> {
  const rows: Row[] = [];
  for (const size of [100, 10_000]) {
    const server = await startServer();
    try {
      await seed(server, await doctorId(server), size);
      const client = await new Client(server.url).signIn();
      const times = await timePage(client, "/dashboard", 200);
      const p50 = percentile(times, 50);
      rows.push({
        measure: "doctor dashboard, server time p50",
        size: `${size.toLocaleString("en")} appointments`,
        value: `${p50.toFixed(2)} ms (p95 ${
          percentile(times, 95).toFixed(2)
        } ms)`,
        target: "< 10 ms",
        ok: p50 < 10,
      });
    } finally {
      await server.close();
    }
  }
  return rows;
}

async function gzipSize(bytes: Uint8Array): Promise<number> {
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(
    new CompressionStream("gzip"),
  );
  return (await new Response(stream).arrayBuffer()).byteLength;
}

/** The visit page and every asset it loads, following the modules' imports. */
export async function visitPageRows(): Promise<Row[]> {
  const server = await startServer();
  try {
    const doctor = await new Client(server.url).signIn();
    const res = await doctor.json("/api/appointments", {
      patientName: "Bench Patient",
      startsAt: new Date(Date.now() + 3 * 3_600_000).toISOString(),
      durationMinutes: 20,
    });
    const { visitUrl } = await res.json();
    // What travels: the compressed size where the server compressed, else the raw size.
    let raw = 0;
    let transferred = 0;
    const download = async (url: string) => {
      const response = await fetch(url, {
        headers: { "Accept-Encoding": "gzip" },
      });
      const bytes = new Uint8Array(await response.arrayBuffer());
      raw += bytes.byteLength;
      transferred += response.headers.get("content-encoding") === "gzip"
        ? await gzipSize(bytes)
        : bytes.byteLength;
      return new TextDecoder().decode(bytes);
    };
    const html = await download(visitUrl);
    const urls = new Set<string>();
    for (const m of html.matchAll(/(?:href|src)="(\/[^"]+)"/g)) {
      if (!m[1].startsWith("/visit/")) urls.add(m[1]);
    }
    const queue = [...urls];
    while (queue.length > 0) {
      const url = queue.shift()!;
      const text = await download(server.url + url);
      if (!url.endsWith(".js")) continue;
      for (
        const m of text.matchAll(
          /(?:from|import)\s*\(?\s*["']\.\/([^"']+\.js)["']/g,
        )
      ) {
        const chunk = url.slice(0, url.lastIndexOf("/") + 1) + m[1];
        if (!urls.has(chunk)) {
          urls.add(chunk);
          queue.push(chunk);
        }
      }
    }
    return [{
      measure: "patient's visit page, all it downloads",
      size: `${urls.size + 1} files`,
      value: `${(transferred / 1024).toFixed(1)} KB transferred (${
        (raw / 1024).toFixed(1)
      } KB uncompressed)`,
      target: "< 30 KB",
      ok: transferred < 30 * 1024,
    }];
  } finally {
    await server.close();
  }
}
