/**
 * The calendar invite of a visit, as the doctor and the patient download it.
 *
 * @module
 */
import type { Clinic } from "@/lib/config.ts";
import type { Appointment } from "@/lib/store/appointments.ts";
import { calendarInvite } from "./ics.ts";

export function visitInviteResponse(
  clinic: Clinic,
  a: Appointment,
  opts: { summary: string; url: string },
): Response {
  const body = calendarInvite({
    uid: `${a.id}@${new URL(clinic.config.publicUrl).host}`,
    startsAt: a.startsAt,
    durationMinutes: a.durationMinutes,
    summary: opts.summary,
    description:
      `Video visit with ${clinic.config.clinicName}. Open ${opts.url} to join.`,
    url: opts.url,
  });
  return new Response(body, {
    headers: {
      "Content-Type": "text/calendar; charset=utf-8",
      "Content-Disposition": 'attachment; filename="video-visit.ics"',
      "Cache-Control": "no-store",
    },
  });
}
