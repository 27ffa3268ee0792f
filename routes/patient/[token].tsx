import { TOKEN_PATTERN } from "@/lib/auth/tokens.ts";
import { formatDateTime } from "@/lib/clinic/time.ts";
import { windowEnd } from "@/lib/clinic/visit_window.ts";
import { define } from "@/lib/define.ts";
import { notFound } from "@/lib/http/errors.ts";
import type { Appointment } from "@/lib/store/appointments.ts";
import { listByPatient } from "@/lib/store/appointment_lists.ts";
import { getDoctor } from "@/lib/store/doctors.ts";
import { labelOf } from "@/lib/clinic/doctor_label.ts";
import { findPatientByLink, type Patient } from "@/lib/store/patients.ts";
import { type PastVisit, pastVisits } from "@/lib/sessions/patient_visits.ts";
import { durationWords } from "@/lib/sessions/views.ts";
import { Head } from "@/lib/web/render.tsx";
import { page } from "@/lib/web/page.ts";

interface PatientData {
  patient: Patient;
  upcoming: (Appointment & { doctorName: string })[];
  past: PastVisit[];
}

/** Visits still to come: those whose window has not ended. */
const LOOK_BACK_MS = 5 * 3_600_000;

export const handler = define.handlers({
  async GET(ctx) {
    const { kv } = ctx.state.clinic;
    const patient = TOKEN_PATTERN.test(ctx.params.token)
      ? await findPatientByLink(kv, ctx.params.token)
      : null;
    if (!patient) throw notFound("This page");
    const now = Date.now();
    const visits = await listByPatient(kv, patient.id, {
      from: now - LOOK_BACK_MS,
      limit: 50,
    });
    const doctorNames = new Map<string, string>();
    const upcoming = [];
    for (const { value: a } of visits.items) {
      if (a.status !== "scheduled" || windowEnd(a) <= now) continue;
      // Only the patient's own doctor's visits, even if the index held more.
      if (a.doctorId !== patient.doctorId) continue;
      if (!doctorNames.has(a.doctorId)) {
        doctorNames.set(
          a.doctorId,
          labelOf(await getDoctor(kv, a.doctorId)) ?? "Your doctor",
        );
      }
      upcoming.push({ ...a, doctorName: doctorNames.get(a.doctorId)! });
    }
    const past = await pastVisits(ctx.state.clinic, patient, { limit: 20 });
    return page<PatientData>({ patient, upcoming, past: past.items }, {
      headers: { "Cache-Control": "no-store" },
    });
  },
});

export default define.page<typeof handler>(({ data, state }) => {
  const tz = state.clinic.config.timeZone;
  return (
    <section class="panel narrow">
      <Head>
        <title>Your visits</title>
        <meta name="robots" content="noindex" />
      </Head>
      <h1>Hello {data.patient.name}</h1>
      <h2>Your upcoming visits</h2>
      {data.upcoming.length === 0
        ? <p>You have no upcoming visits.</p>
        : (
          <ul class="visit-list">
            {data.upcoming.map((a) => (
              <li key={a.id}>
                <strong>{formatDateTime(a.startsAt, tz)}</strong> ({tz}),{" "}
                {a.durationMinutes} min with {a.doctorName}
              </li>
            ))}
          </ul>
        )}
      <h2>Your past visits</h2>
      {data.past.length === 0
        ? <p>No past visits yet.</p>
        : (
          <ul class="visit-list past-visits">
            {data.past.map((v) => (
              <li key={v.id}>
                <strong>{formatDateTime(v.at, tz)}</strong> with {v.doctorName},
                {" "}
                {durationWords(v.durationSeconds)}
                {v.sharedNote && (
                  <div class="shared-note">
                    <p class="muted">Your doctor's notes:</p>
                    <div class="note-text">{v.sharedNote.text}</div>
                  </div>
                )}
              </li>
            ))}
          </ul>
        )}
      <p class="muted">
        To join a visit, open the visit link {state.clinic.config.clinicName}
        {" "}
        sent you for it.
      </p>
    </section>
  );
});
