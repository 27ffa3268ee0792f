/**
 * Why a patient's link opens nothing, as the patient is told: each reason
 * has its own page (`routes/_500.tsx` shows it) and its own status. The
 * language is the visit's when the link is known, else the clinic's; an
 * unknown or malformed link gets nothing that belongs to any visit.
 *
 * @module
 */
import { HttpError } from "@/lib/http/errors.ts";
import type { Language } from "@/lib/i18n/languages.ts";

export type LinkProblem =
  | "malformed"
  | "unknown"
  | "cancelled"
  | "ended"
  | "expired"
  | "replaced";

/** Which link it was: a visit link or the patient's personal page link. */
export type LinkKind = "visit" | "personal";

const MESSAGES: Record<LinkProblem, string> = {
  malformed: "This is not a whole link.",
  unknown: "This link does not exist.",
  cancelled: "This visit was cancelled.",
  ended: "This visit has ended.",
  expired: "This link has expired.",
  replaced: "This link was replaced by a newer one.",
};

/** 404 when nothing is known of the link, 410 when it once worked. */
export function problemStatus(problem: LinkProblem): 404 | 410 {
  return problem === "malformed" || problem === "unknown" ? 404 : 410;
}

/** Thrown by the patient's pages and API; the error page explains it. */
export class PatientLinkError extends HttpError {
  constructor(
    readonly problem: LinkProblem,
    readonly kind: LinkKind,
    readonly language: Language,
  ) {
    super(
      problemStatus(problem),
      problem === "malformed" || problem === "unknown"
        ? "not_found"
        : `link_${problem}`,
      MESSAGES[problem],
    );
    this.name = "PatientLinkError";
  }
}
