/**
 * The visit a patient's page opens: the visit link's rule, with whether the
 * visit's call has ended, which only the visit records know.
 *
 * @module
 */
import { type OpenVisit, openVisit } from "@/lib/clinic/visit_access.ts";
import { callEnded } from "./close.ts";
import type { ClinicWithCalls } from "./live_calls.ts";

export function openVisitPage(
  clinic: ClinicWithCalls,
  token: string,
  now = Date.now(),
): Promise<OpenVisit> {
  return openVisit(clinic, token, {
    ended: (a) =>
      callEnded(clinic.kv, clinic.config, clinic.signaling.presence, a.id, now),
    now,
  });
}
