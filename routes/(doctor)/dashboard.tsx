import { keepToShowOnce } from "@/lib/auth/shown_once.ts";
import { ID_PATTERN } from "@/lib/store/ids.ts";
import { scheduleVisit } from "@/lib/clinic/scheduling.ts";
import {
  formatDateTime,
  formatTime,
  startOfDay,
  toLocalInput,
} from "@/lib/clinic/time.ts";
import { visitForm } from "@/lib/clinic/visit_input.ts";
import { defineDoctor } from "@/lib/define.ts";
import type { DoctorState } from "@/lib/define.ts";
import { type FieldErrors, notFound } from "@/lib/http/errors.ts";
import { submitForm } from "@/lib/http/form.ts";
import { readForm } from "@/lib/http/input.ts";
import type { Appointment } from "@/lib/store/appointments.ts";
import { listByDoctor } from "@/lib/store/appointment_lists.ts";
import {
  getDoctorsPatient,
  type PatientSummary,
} from "@/lib/store/patients.ts";
import { Field, FormErrorSummary } from "@/lib/ui/form.tsx";
import { StatusBadge } from "@/lib/ui/visit_status.tsx";
import type { VisitLifecycle } from "@/lib/clinic/visit_lifecycle.ts";
import { readVisitStates } from "@/lib/sessions/visit_state.ts";
import { PatientLocaleFields, VisitFields } from "@/lib/ui/visit_fields.tsx";
import { Head } from "@/lib/web/render.tsx";
import type { WaitingPatient } from "@/lib/protocol/messages.ts";
import WaitingRoom from "@/islands/WaitingRoom.tsx";
import { page } from "@/lib/web/page.ts";
import { ColumnHeads } from "@/lib/ui/column_heads.tsx";

const DAY_MS = 24 * 3_600_000;
const UPCOMING_PAGE = 20;

interface DashboardData {
  now: number;
  /** Booking again for one of the doctor's patients, chosen explicitly. */
  returning?: PatientSummary;
  waiting: WaitingPatient[];
  today: Appointment[];
  upcoming: Appointment[];
  /** Where each listed visit stands, by appointment id. */
  states: Record<string, VisitLifecycle>;
  nextCursor?: string;
  values?: Record<string, string>;
  errors?: FieldErrors;
}

export const handler = defineDoctor.handlers({
  async GET(ctx) {
    const data = await load(
      ctx.state,
      ctx.url.searchParams.get("more") ?? undefined,
    );
    const returning = await returningPatient(
      ctx.state,
      ctx.url.searchParams.get("patient"),
    );
    if (ctx.url.searchParams.has("patient") && !returning) {
      throw notFound("That patient");
    }
    return page<DashboardData>({ ...data, returning });
  },
  async POST(ctx) {
    const { clinic, doctor, loginSessionHash } = ctx.state;
    const form = await readForm(ctx.req);
    return submitForm(
      form,
      visitForm(clinic.config.timeZone),
      async (input) => {
        const visit = await scheduleVisit(clinic, doctor, input);
        await keepToShowOnce(clinic.kv, loginSessionHash, {
          appointmentId: visit.appointment.value.id,
          visitUrl: visit.visitUrl,
          patientDashboardUrl: visit.patientDashboardUrl,
        });
        return ctx.redirect(`/appointments/${visit.appointment.value.id}`);
      },
      async (errors, status) =>
        page<DashboardData>({
          ...(await load(ctx.state)),
          returning: await returningPatient(ctx.state, form.patientId),
          values: form,
          // The patient is a hidden field: say its error at the top.
          errors: errors.patientId
            ? { _: errors.patientId, ...errors }
            : errors,
        }, { status }),
    );
  },
});

/** The doctor's own patient named in the request, if it is one. */
async function returningPatient(
  state: DoctorState,
  id: string | null | undefined,
): Promise<PatientSummary | undefined> {
  if (!id || !ID_PATTERN.test(id)) return undefined;
  const found = await getDoctorsPatient(state.clinic.kv, state.doctor.id, id);
  if (!found) return undefined;
  const { name, email } = found.value;
  return { id, name, ...(email ? { email } : {}) };
}

async function load(
  state: DoctorState,
  cursor?: string,
): Promise<DashboardData> {
  const now = Date.now();
  const dayStart = startOfDay(now, state.clinic.config.timeZone);
  const dayEnd = startOfDay(
    dayStart + DAY_MS + 3_600_000,
    state.clinic.config.timeZone,
  );
  const kv = state.clinic.kv;
  const doctorId = state.doctor.id;
  const [today, upcoming, waiting] = await Promise.all([
    listByDoctor(kv, doctorId, { from: dayStart, to: dayEnd, limit: 100 }),
    listByDoctor(kv, doctorId, {
      from: dayEnd,
      limit: UPCOMING_PAGE,
      cursor,
    }),
    state.clinic.signaling.waitingRoom.list(doctorId, now),
  ]);
  const listed = [...today.items, ...upcoming.items].map((a) => a.value);
  const states = await readVisitStates(state.clinic, listed, now);
  return {
    now,
    waiting: waiting.map(({ heartbeatAt: _h, ...patient }) => patient),
    today: today.items.map((a) => a.value),
    upcoming: upcoming.items.map((a) => a.value),
    states: Object.fromEntries(states),
    nextCursor: upcoming.cursor,
  };
}

export default defineDoctor.page<typeof handler>(({ data, state }) => {
  const tz = state.clinic.config.timeZone;
  const defaultStart = toLocalInput(
    Math.ceil((data.now + 3_600_000) / 900_000) * 900_000,
    tz,
  );
  return (
    <div class="dashboard">
      <Head>
        <title>Visits</title>
      </Head>
      <WaitingRoom initial={data.waiting} timeZone={tz} />
      <section class="panel">
        <h1>Today</h1>
        <p class="muted">Times are in the clinic's time zone ({tz}).</p>
        {data.today.length === 0 ? <p>No visits today.</p> : (
          <VisitTable
            visits={data.today}
            states={data.states}
            time={(ms) => formatTime(ms, tz)}
          />
        )}
      </section>
      <section class="panel">
        <h2>Upcoming</h2>
        {data.upcoming.length === 0 ? <p>No upcoming visits.</p> : (
          <VisitTable
            visits={data.upcoming}
            states={data.states}
            time={(ms) => formatDateTime(ms, tz)}
          />
        )}
        {data.nextCursor && (
          <p>
            <a href={`/dashboard?more=${encodeURIComponent(data.nextCursor)}`}>
              Later visits
            </a>
          </p>
        )}
      </section>
      <section class="panel" aria-labelledby="new-visit">
        <h2 id="new-visit">Schedule a visit</h2>
        <FormErrorSummary errors={data.errors} />
        <form method="post" action="/dashboard" novalidate class="grid-form">
          {data.returning
            ? (
              <p class="returning-patient">
                <input
                  type="hidden"
                  name="patientId"
                  value={data.returning.id}
                />
                For <strong>{data.returning.name}</strong>
                {data.returning.email && ` (${data.returning.email})`}, one of
                your patients. <a href="/dashboard#new-visit">New patient</a>
              </p>
            )
            : (
              <>
                <Field
                  name="patientName"
                  label="Patient name"
                  hint="A new patient record. To book a returning patient, use “Book another visit” on one of their visits."
                  value={data.values?.patientName}
                  errors={data.errors}
                  required
                />
                <Field
                  name="patientEmail"
                  label="Patient email (optional)"
                  type="email"
                  value={data.values?.patientEmail}
                  errors={data.errors}
                />
                <Field
                  name="patientPhone"
                  label="Patient phone (optional)"
                  type="tel"
                  value={data.values?.patientPhone}
                  errors={data.errors}
                />
              </>
            )}
          <VisitFields
            timeZone={tz}
            values={data.values}
            errors={data.errors}
            initial={{ startsAt: defaultStart, durationMinutes: "20" }}
            reasonLabel="Reason for the visit (optional)"
            lengthStep={5}
          />
          <PatientLocaleFields
            values={data.values}
            errors={data.errors}
            language={state.clinic.config.language}
            timeZone={tz}
          />
          <button type="submit" class="button">Schedule visit</button>
        </form>
      </section>
    </div>
  );
});

function VisitTable(
  { visits, states, time }: {
    visits: Appointment[];
    states: Record<string, VisitLifecycle>;
    time: (ms: number) => string;
  },
) {
  return (
    <table class="visits">
      <ColumnHeads
        names={["Time", "Patient", "Reason", "Status"]}
      />
      <tbody>
        {visits.map((a) => (
          <tr key={a.id}>
            <td>
              {time(a.startsAt)}{" "}
              <span class="muted">({a.durationMinutes} min)</span>
            </td>
            <td>
              <a href={`/appointments/${a.id}`}>{a.patientName}</a>
            </td>
            <td>{a.reason}</td>
            <td>
              <StatusBadge lifecycle={states[a.id]} />
              {states[a.id].reportReady && (
                <>
                  {" "}
                  <a href={`/sessions/${a.id}`}>
                    Report
                    <span class="visually-hidden">for {a.patientName}</span>
                  </a>
                </>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
