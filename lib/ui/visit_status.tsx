/**
 * How a visit's state reads on the dashboard.
 *
 * @module
 */
import type { Appointment } from "@/lib/store/appointments.ts";
import { joinState } from "@/lib/clinic/visit_window.ts";

export function visitStatus(
  a: Appointment,
  now: number,
): { label: string; tone: string } {
  if (a.status === "cancelled") return { label: "Cancelled", tone: "muted" };
  const state = joinState(a, now);
  if (state === "open") return { label: "Open to join", tone: "live" };
  if (state === "over") return { label: "Window over", tone: "muted" };
  return { label: "Scheduled", tone: "normal" };
}

export function StatusBadge(
  { appointment, now }: { appointment: Appointment; now: number },
) {
  const { label, tone } = visitStatus(appointment, now);
  return <span class={`badge badge-${tone}`}>{label}</span>;
}
