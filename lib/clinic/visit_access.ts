/**
 * What the holder of a visit link may see: the visit it opens and its
 * doctor, while the link is valid by the clinic's rule (the visit is
 * scheduled, the link is its newest, its call has not ended and its window
 * has not closed). Otherwise the patient is told why (`link_problem.ts`):
 * only a link that was once issued for a visit learns anything about it; a
 * guessed or malformed one is "unknown" or "malformed", nothing more.
 *
 * @module
 */
import { TOKEN_PATTERN } from "@/lib/auth/tokens.ts";
import type { Clinic, ClinicConfig } from "@/lib/config.ts";
import type { Language } from "@/lib/i18n/languages.ts";
import {
  type Appointment,
  findVisitLink,
  type VisitLinkEntry,
} from "@/lib/store/appointments.ts";
import { type Doctor, getDoctor } from "@/lib/store/doctors.ts";
import { type LinkProblem, PatientLinkError } from "./link_problem.ts";
import { windowEnd } from "./visit_window.ts";

/** The patient's language for this visit: theirs if chosen, else the clinic's. */
export function visitLanguage(config: ClinicConfig, a: Appointment): Language {
  return a.language ?? config.language;
}

/** The patient's time zone for this visit: theirs if given, else the clinic's. */
export function visitTimeZone(config: ClinicConfig, a: Appointment): string {
  return a.timeZone ?? config.timeZone;
}

export interface OpenVisit {
  appointment: Appointment;
  doctor: Doctor;
  language: Language;
  timeZone: string;
}

/** What the rule reads about a link. */
export interface VisitLinkFacts {
  /** The text has a token's shape; nothing else is looked up. */
  wellFormed: boolean;
  /** The link's kept entry, if there is one, and the visit's doctor. */
  entry: VisitLinkEntry | null;
  doctorFound: boolean;
  /** Asked only of a scheduled visit's current link. */
  ended: () => Promise<boolean>;
  now: number;
}

/**
 * The rule. A cancelled visit says so first (whichever of its links is
 * used), then a replaced link, then an ended call before the clock, since
 * that is what the patient knows happened.
 */
export async function visitLinkVerdict(
  f: VisitLinkFacts,
): Promise<"open" | LinkProblem> {
  if (!f.wellFormed) return "malformed";
  if (!f.entry || !f.doctorFound) return "unknown";
  const a = f.entry.appointment;
  if (a.status !== "scheduled") return "cancelled";
  if (!f.entry.current) return "replaced";
  if (await f.ended()) return "ended";
  if (f.now >= windowEnd(a)) return "expired";
  return "open";
}

export interface OpenOptions {
  /**
   * Whether the visit's call has ended, for the pages; the ticket API
   * leaves it out and lets the room's own rule answer.
   */
  ended?: (appointment: Appointment) => Promise<boolean>;
  now?: number;
}

/** The visit a link opens, or a `PatientLinkError` saying why not. */
export async function openVisit(
  clinic: Clinic,
  token: string,
  options: OpenOptions = {},
): Promise<OpenVisit> {
  const { config, kv } = clinic;
  const wellFormed = TOKEN_PATTERN.test(token);
  const entry = wellFormed ? await findVisitLink(kv, token) : null;
  const doctor = entry ? await getDoctor(kv, entry.appointment.doctorId) : null;
  const verdict = await visitLinkVerdict({
    wellFormed,
    entry,
    doctorFound: doctor !== null,
    ended: () =>
      options.ended && entry
        ? options.ended(entry.appointment)
        : Promise.resolve(false),
    now: options.now ?? Date.now(),
  });
  const known = verdict !== "malformed" && verdict !== "unknown" && entry;
  const language = known
    ? visitLanguage(config, entry.appointment)
    : config.language;
  if (verdict !== "open") {
    throw new PatientLinkError(verdict, "visit", language);
  }
  const appointment = entry!.appointment;
  return {
    appointment,
    doctor: doctor!,
    language,
    timeZone: visitTimeZone(config, appointment),
  };
}
