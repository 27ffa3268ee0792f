import { openPersonalPage } from "@/lib/clinic/personal_link_access.ts";
import {
  readLanguageChoice,
  setPersonalPageLanguage,
} from "@/lib/clinic/patient_language.ts";
import { visitTimeZone } from "@/lib/clinic/visit_access.ts";
import { isOver, type VisitLifecycle } from "@/lib/clinic/visit_lifecycle.ts";
import { readVisitStates } from "@/lib/sessions/visit_state.ts";
import { PatientStatusBadge } from "@/lib/ui/visit_status.tsx";
import { define } from "@/lib/define.ts";
import { readForm } from "@/lib/http/input.ts";
import { formatWhen } from "@/lib/i18n/dates.ts";
import type { Language } from "@/lib/i18n/languages.ts";
import { personalPage } from "@/lib/i18n/text/personal_page.ts";
import { translator } from "@/lib/i18n/translate.ts";
import type { Appointment } from "@/lib/store/appointments.ts";
import { listByPatient } from "@/lib/store/appointment_lists.ts";
import { getDoctor } from "@/lib/store/doctors.ts";
import { labelOf } from "@/lib/clinic/doctor_label.ts";
import type { Patient } from "@/lib/store/patients.ts";
import { type PastVisit, pastVisits } from "@/lib/sessions/patient_visits.ts";
import { ClinicContact, LanguageSwitch } from "@/lib/ui/patient_page.tsx";
import { Head } from "@/lib/web/render.tsx";
import { page } from "@/lib/web/page.ts";

interface PatientData {
  patient: Patient;
  language: Language;
  /** Where past visits are told: the zone of the patient's latest visit. */
  timeZone: string;
  upcoming: (Appointment & {
    doctorName?: string;
    timeZone: string;
    lifecycle: VisitLifecycle;
  })[];
  past: PastVisit[];
}

/** Visits still to come: read from this long ago (a visit going on late). */
const LOOK_BACK_MS = 5 * 3_600_000;

export const handler = define.handlers({
  async GET(ctx) {
    const { clinic } = ctx.state;
    const { kv, config } = clinic;
    const patient = await openPersonalPage(clinic, ctx.params.token);
    const now = Date.now();
    const visits = await listByPatient(kv, patient.id, {
      from: now - LOOK_BACK_MS,
      limit: 50,
    });
    const doctorNames = new Map<string, string | undefined>();
    // Only the patient's own doctor's visits, even if the index held more.
    const own = visits.items.map((v) => v.value).filter((a) =>
      a.status === "scheduled" && a.doctorId === patient.doctorId
    );
    const states = await readVisitStates(clinic, own, now);
    const upcoming = [];
    for (const a of own) {
      const lifecycle = states.get(a.id)!;
      // A visit that is over is a past visit (below), never both.
      if (isOver(lifecycle.state)) continue;
      if (!doctorNames.has(a.doctorId)) {
        doctorNames.set(a.doctorId, labelOf(await getDoctor(kv, a.doctorId)));
      }
      upcoming.push({
        ...a,
        doctorName: doctorNames.get(a.doctorId),
        timeZone: visitTimeZone(config, a),
        lifecycle,
      });
    }
    const past = await pastVisits(clinic, patient, { limit: 20 });
    // Their own choice here, else the language their next visit is in.
    const language = patient.language ?? upcoming[0]?.language ??
      config.language;
    ctx.state.patientPage = { language };
    return page<PatientData>({
      patient,
      language,
      timeZone: upcoming[0]?.timeZone ?? config.timeZone,
      upcoming,
      past: past.items,
    }, { headers: { "Cache-Control": "no-store" } });
  },
  /** The language switch: the link authorises this one change. */
  async POST(ctx) {
    const { clinic } = ctx.state;
    const patient = await openPersonalPage(clinic, ctx.params.token);
    ctx.state.patientPage = {
      language: patient.language ?? clinic.config.language,
    };
    const language = readLanguageChoice(await readForm(ctx.req));
    await setPersonalPageLanguage(clinic, patient, language);
    return ctx.redirect(`/patient/${ctx.params.token}`);
  },
});

export default define.page<typeof handler>(({ data, params, state }) => {
  const { language } = data;
  const t = translator(personalPage, language);
  const config = state.clinic.config;
  const duration = (seconds: number) => {
    const m = Math.floor(seconds / 60);
    const s = seconds % 60;
    return m > 0 ? t("duration", { m, s }) : t("shortDuration", { s });
  };
  return (
    <section class="panel narrow">
      <Head>
        <title>{t("title")}</title>
        <meta name="robots" content="noindex" />
      </Head>
      <LanguageSwitch language={language} action={`/patient/${params.token}`} />
      <h1>{t("hello", { name: data.patient.name })}</h1>
      <h2>{t("upcoming")}</h2>
      {data.upcoming.length === 0
        ? <p>{t("noUpcoming")}</p>
        : (
          <ul class="visit-list">
            {data.upcoming.map((a) => (
              <li key={a.id}>
                <strong>{formatWhen(a.startsAt, a.timeZone, language)}</strong>
                {", "}
                {t("upcomingVisit", {
                  minutes: a.durationMinutes,
                  doctor: a.doctorName ?? t("yourDoctor"),
                })}{" "}
                <PatientStatusBadge
                  lifecycle={a.lifecycle}
                  language={language}
                />
              </li>
            ))}
          </ul>
        )}
      <h2>{t("past")}</h2>
      {data.past.length === 0
        ? <p>{t("noPast")}</p>
        : (
          <ul class="visit-list past-visits">
            {data.past.map((v) => (
              <li key={v.id}>
                <strong>{formatWhen(v.at, data.timeZone, language)}</strong>
                {" "}
                {t("pastVisit", {
                  doctor: v.doctorName,
                  duration: duration(v.durationSeconds),
                })}{" "}
                <PatientStatusBadge
                  lifecycle={v.lifecycle}
                  language={language}
                />
                {v.sharedNote && (
                  <div class="shared-note">
                    <p class="muted">{t("notes")}</p>
                    <div class="note-text">{v.sharedNote.text}</div>
                  </div>
                )}
              </li>
            ))}
          </ul>
        )}
      <p class="muted">{t("howToJoin", { clinic: config.clinicName })}</p>
      <ClinicContact config={config} language={language} />
    </section>
  );
});
