import { formatDateTime } from "@/lib/clinic/time.ts";
import { defineDoctor } from "@/lib/define.ts";
import { type FieldErrors, fieldErrors } from "@/lib/http/errors.ts";
import { doctorHistory, recordHistoryRead } from "@/lib/sessions/history.ts";
import { historyForm } from "@/lib/sessions/history_input.ts";
import type { SessionSummary } from "@/lib/sessions/session.ts";
import { durationWords, statusWords } from "@/lib/sessions/views.ts";
import { getDoctorsPatient } from "@/lib/store/patients.ts";
import { Field, FormErrorSummary } from "@/lib/ui/form.tsx";
import { Head } from "@/lib/web/render.tsx";
import { page } from "@/lib/web/page.ts";
import { ColumnHeads } from "@/lib/ui/column_heads.tsx";
import { StatusBadge } from "@/lib/ui/visit_status.tsx";
import type { VisitLifecycle } from "@/lib/clinic/visit_lifecycle.ts";
import { readRecordStates } from "@/lib/sessions/visit_state.ts";

export const HISTORY_PAGE = 25;

interface HistoryData {
  sessions: SessionSummary[];
  /** Where each listed visit stands, by id. */
  states: Record<string, VisitLifecycle>;
  nextCursor?: string;
  patientName?: string;
  /** The filters as typed, for the form and the links. */
  query: Record<string, string>;
  errors?: FieldErrors;
}

/** The filter part of the query, without the page cursor. */
function filterQuery(
  query: Record<string, string>,
  extra: Record<string, string> = {},
) {
  const kept = Object.entries({ ...query, ...extra }).filter(([k, v]) =>
    ["patient", "from", "to", "cursor"].includes(k) && v !== ""
  );
  return new URLSearchParams(kept).toString();
}

export const handler = defineDoctor.handlers({
  async GET(ctx) {
    const { clinic, doctor } = ctx.state;
    const query = Object.fromEntries(ctx.url.searchParams);
    const parsed = historyForm(clinic.config.timeZone).safeParse(query);
    if (!parsed.success) {
      return page<HistoryData>({
        sessions: [],
        states: {},
        query,
        errors: fieldErrors(parsed.error),
      }, { status: 400 });
    }
    const { patient, from, to, cursor } = parsed.data;
    const found = await doctorHistory(clinic, doctor.id, {
      patientId: patient,
      from,
      to,
      cursor,
      limit: HISTORY_PAGE,
    });
    await recordHistoryRead(clinic, doctor, "sessions.listed", {
      patientId: patient,
      from,
      to,
    });
    const patientName = patient
      ? (await getDoctorsPatient(clinic.kv, doctor.id, patient))?.value.name
      : undefined;
    const states = await readRecordStates(clinic, found.items);
    return page<HistoryData>({
      sessions: found.items,
      states: Object.fromEntries(states),
      nextCursor: found.cursor,
      patientName,
      query,
    });
  },
});

export default defineDoctor.page<typeof handler>(({ data, state }) => {
  const tz = state.clinic.config.timeZone;
  const { query } = data;
  return (
    <section class="panel history">
      <Head>
        <title>Visit history</title>
      </Head>
      <h1>
        Visit history{data.patientName ? ` with ${data.patientName}` : ""}
      </h1>
      <FormErrorSummary errors={data.errors} />
      <form method="get" class="filters" aria-label="Filter the history">
        {query.patient && (
          <input type="hidden" name="patient" value={query.patient} />
        )}
        <Field
          name="from"
          label={`First day (${tz})`}
          type="date"
          value={query.from}
          errors={data.errors}
        />
        <Field
          name="to"
          label="Last day"
          type="date"
          value={query.to}
          errors={data.errors}
        />
        <button type="submit" class="button">Show</button>
        {(query.patient || query.from || query.to) && (
          <a class="button secondary" href="/history">Show all</a>
        )}
        <a
          class="button secondary"
          href={`/history.csv?${filterQuery(query, { cursor: "" })}`}
          download
        >
          Export CSV
        </a>
      </form>
      {data.sessions.length === 0
        ? <p>No visits match.</p>
        : (
          <table class="visits">
            <ColumnHeads
              names={["Date", "Patient", "Duration", "Outcome", "Report"]}
            />
            <tbody>
              {data.sessions.map((s) => (
                <tr key={s.id} data-session={s.id}>
                  <td>{formatDateTime(s.startedAt ?? s.openedAt, tz)}</td>
                  <td>
                    <a
                      href={`/history?${
                        filterQuery(query, { patient: s.patientId, cursor: "" })
                      }`}
                      title={`Only visits with ${s.patientName}`}
                    >
                      {s.patientName}
                    </a>
                  </td>
                  <td>{durationWords(s.durationSeconds)}</td>
                  <td>
                    <StatusBadge lifecycle={data.states[s.id]} />{" "}
                    {statusWords(s)}
                  </td>
                  <td>
                    <a href={`/sessions/${s.id}`}>
                      Report
                      <span class="visually-hidden">
                        for {s.patientName}
                      </span>
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      {data.nextCursor && (
        <p>
          <a
            class="button secondary"
            href={`/history?${filterQuery(query, { cursor: data.nextCursor })}`}
          >
            Older visits
          </a>
        </p>
      )}
    </section>
  );
});
