/**
 * What the unit tests of a visit's call share: settings with a short grace
 * period, one visit at a fixed time, and a liveness with nobody connected,
 * so that each test says only what differs.
 *
 * @module
 */
import { loadConfig } from "@/lib/config.ts";
import type { Appointment } from "@/lib/store/appointments.ts";
import type { Liveness } from "./close.ts";

export const GRACE_S = 60;
export const config = loadConfig({
  KV_PATH: ":memory:",
  CALL_CLOSE_GRACE_SECONDS: String(GRACE_S),
});
export const T0 = Date.UTC(2026, 10, 24, 9, 0);
export const nobodyLive: Liveness = { member: () => Promise.resolve(null) };

/** A 20-minute visit starting at `T0`. */
export function appointment(
  id: string,
  status: Appointment["status"] = "scheduled",
): Appointment {
  return {
    id,
    doctorId: "d".repeat(32),
    patientId: "p".repeat(32),
    patientName: "Ada Patient",
    reason: "Follow-up",
    startsAt: T0,
    durationMinutes: 20,
    status,
    visitTokenHash: "x",
    createdAt: T0 - 86_400_000,
    updatedAt: T0 - 86_400_000,
  };
}
