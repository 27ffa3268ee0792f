/**
 * What every request of the clinic app carries: the clinic (configuration,
 * store and the signaling hub) and the signed-in doctor, if any.
 *
 * @module
 */
import type { SignInEnd } from "./auth/login_sessions.ts";
import type { Clinic } from "./config.ts";
import type { Language } from "./i18n/languages.ts";
import type { MailService } from "./mail/scheduler.ts";
import type { SignalingHub } from "./signaling/hub.ts";
import type { Doctor } from "./store/doctors.ts";

/** The clinic with its calls: what routes reach through `ctx.state`. */
export interface ClinicRuntime extends Clinic {
  signaling: SignalingHub;
  /** The outbox's sweeps; `null` when mail is off. */
  mail: MailService | null;
}

export interface AppState {
  clinic: ClinicRuntime;
  doctor: Doctor | null;
  /** Hash of the sign-in session id, for what is shown to it once. */
  loginSessionHash: string | null;
  /** The browser's sign-in has ended, and why (for the sign-in page). */
  signInEnded: SignInEnd | null;
  /**
   * Set by the pages a patient opens from a link: their language, and that
   * the page leads nowhere near the doctors' sign-in.
   */
  patientPage: PatientPage | null;
  /**
   * Set by the call pages: the site's menu is left out, so that one stray
   * click cannot take a doctor or patient out of a visit.
   */
  inCall?: boolean;
}

export interface PatientPage {
  language: Language;
}
