/**
 * How a visit's state reads on the doctor's pages: one label and tone per
 * lifecycle state (`lib/clinic/visit_lifecycle.ts`), the same everywhere.
 *
 * @module
 */
import type {
  VisitLifecycle,
  VisitState,
} from "@/lib/clinic/visit_lifecycle.ts";
import type { Language } from "@/lib/i18n/languages.ts";
import {
  type VisitStateKey,
  visitStates,
} from "@/lib/i18n/text/visit_states.ts";
import { translator } from "@/lib/i18n/translate.ts";

const LABELS: Record<VisitState, { label: string; tone: string }> = {
  scheduled: { label: "Scheduled", tone: "normal" },
  waiting: { label: "Patient waiting", tone: "live" },
  "in-call": { label: "In call", tone: "live" },
  completed: { label: "Completed", tone: "done" },
  missed: { label: "Missed: patient waited", tone: "alert" },
  "no-show": { label: "No-show", tone: "muted" },
  cancelled: { label: "Cancelled", tone: "muted" },
};

export function visitStatus(
  lifecycle: VisitLifecycle,
): { label: string; tone: string } {
  // A scheduled visit whose call can be joined now says so.
  if (lifecycle.state === "scheduled" && lifecycle.joinable) {
    return { label: "Open to join", tone: "live" };
  }
  return LABELS[lifecycle.state];
}

export function StatusBadge({ lifecycle }: { lifecycle: VisitLifecycle }) {
  const { label, tone } = visitStatus(lifecycle);
  return (
    <span class={`badge badge-${tone}`} data-lifecycle={lifecycle.state}>
      {label}
    </span>
  );
}

const PATIENT_KEYS: Record<VisitState, VisitStateKey> = {
  scheduled: "scheduled",
  waiting: "waiting",
  "in-call": "inCall",
  completed: "completed",
  missed: "missed",
  "no-show": "noShow",
  cancelled: "cancelled",
};

/** The state in the patient's words and language. */
export function patientStatus(
  lifecycle: Pick<VisitLifecycle, "state" | "joinable">,
  language: Language,
): string {
  const t = translator(visitStates, language);
  if (lifecycle.state === "scheduled" && lifecycle.joinable) return t("open");
  return t(PATIENT_KEYS[lifecycle.state]);
}

/** The patient's badge: "Status: Completed", in their language. */
export function PatientStatusBadge(
  { lifecycle, language }: {
    lifecycle: Pick<VisitLifecycle, "state" | "joinable">;
    language: Language;
  },
) {
  const t = translator(visitStates, language);
  return (
    <span class="badge" data-lifecycle={lifecycle.state}>
      {t("status", { state: patientStatus(lifecycle, language) })}
    </span>
  );
}
