/**
 * The doctor's visit history with 100 and with 10,000 past sessions in
 * Deno KV: it reads one page of an index, so it must cost the same.
 * Sessions are made the way calls make them (two joins, then the doctor
 * ends the visit), spread over the past year and 500 patients.
 *
 * @module
 */
import { endByDoctor } from "@/lib/sessions/close.ts";
import { recordJoin } from "@/lib/sessions/session.ts";
import type { Appointment } from "@/lib/store/appointments.ts";
import { newId } from "@/lib/store/ids.ts";
import {
  Client,
  startServer,
  type TestServer,
} from "@/tests/helpers/server.ts";
import { doctorId, timePage } from "./clinic_pages.ts";
import { percentile, type Row } from "./table.ts";

const YEAR = 365 * 24 * 3_600_000;

async function seed(server: TestServer, doctor: string, count: number) {
  const now = Date.now();
  const patients = Array.from({ length: 500 }, () => newId());
  const one = async (n: number) => {
    const at = now - Math.round((n / count) * YEAR) - 3_600_000;
    const a: Appointment = {
      id: newId(),
      doctorId: doctor,
      patientId: patients[n % patients.length],
      patientName: `Patient ${n % patients.length}`,
      reason: "Follow-up",
      startsAt: at,
      durationMinutes: 20,
      status: "scheduled",
      visitTokenHash: newId(),
      createdAt: at - YEAR / 12,
      updatedAt: at - YEAR / 12,
    };
    await recordJoin(server.kv, a, "patient", at);
    await recordJoin(server.kv, a, "doctor", at + 60_000);
    await endByDoctor(
      server.kv,
      server.config,
      a.id,
      doctor,
      at + 15 * 60_000,
    );
  };
  for (let i = 0; i < count; i += 100) {
    await Promise.all(
      Array.from({ length: Math.min(100, count - i) }, (_, j) => one(i + j)),
    );
  }
}

export async function historyRows(): Promise<Row[]> {
  const rows: Row[] = [];
  const p50s: number[] = [];
  for (const size of [100, 10_000]) {
    const server = await startServer();
    try {
      await seed(server, await doctorId(server), size);
      const client = await new Client(server.url).signIn();
      const times = await timePage(client, "/history", 200);
      const p50 = percentile(times, 50);
      p50s.push(p50);
      // "The same" allows for timer noise: within half a millisecond or 30 %.
      const same = p50s.length < 2 ||
        p50 <= Math.max(p50s[0] * 1.3, p50s[0] + 0.5);
      rows.push({
        measure: "visit history page, server time p50",
        size: `${size.toLocaleString("en")} sessions`,
        value: `${p50.toFixed(2)} ms (p95 ${
          percentile(times, 95).toFixed(2)
        } ms)`,
        target: size === 100 ? "< 10 ms" : "< 10 ms, same as with 100",
        ok: p50 < 10 && same,
      });
    } finally {
      await server.close();
    }
  }
  return rows;
}
