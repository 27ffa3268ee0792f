import { z } from "zod";
import { formatDateTime } from "@/lib/clinic/time.ts";
import { defineDoctor } from "@/lib/define.ts";
import { parseOr400, readForm } from "@/lib/http/input.ts";
import { endVisit } from "@/lib/sessions/end_visit.ts";
import { doctorsSession } from "@/lib/sessions/history.ts";
import { noteForm } from "@/lib/sessions/note_input.ts";
import { type Note, saveNote } from "@/lib/sessions/notes.ts";
import {
  recordReportShown,
  type ReportView,
  viewReport,
} from "@/lib/sessions/report.ts";
import { durationWords, statusWords } from "@/lib/sessions/views.ts";
import { ROLES } from "@/lib/protocol/messages.ts";
import { Notice } from "@/lib/ui/form.tsx";
import { NotesPanel } from "@/lib/ui/notes_panel.tsx";
import { QualityTable } from "@/lib/ui/quality_table.tsx";
import { Head } from "@/lib/web/render.tsx";
import { page } from "@/lib/web/page.ts";
import { ColumnHeads } from "@/lib/ui/column_heads.tsx";
import { ContactFacts } from "@/lib/ui/patient_contact.tsx";

interface ReportData {
  view: ReportView;
  notice?: string;
  /** A refused save: what this tab typed, beside what is saved now. */
  conflict?: { mine: string; theirs: Note | null };
  error?: string;
}

const action = z.object({ action: z.enum(["save-note", "end"]) });

export const handler = defineDoctor.handlers({
  async GET(ctx) {
    const { clinic, doctor } = ctx.state;
    const view = await viewReport(clinic, doctor, ctx.params.id);
    await recordReportShown(clinic, doctor, view);
    const done = ctx.url.searchParams.get("done");
    return page<ReportData>({
      view,
      notice: done === "saved"
        ? "The notes were saved."
        : done === "ended"
        ? "The visit was ended."
        : undefined,
    });
  },
  async POST(ctx) {
    const { clinic, doctor } = ctx.state;
    const id = ctx.params.id;
    const form = await readForm(ctx.req);
    const chosen = parseOr400(action, form);
    // Only the visit's doctor may act on it (404 for anyone else).
    await doctorsSession(clinic, doctor, id);
    if (chosen.action === "end") {
      await endVisit(clinic, doctor, id);
      return ctx.redirect(`/sessions/${id}?done=ended`);
    }
    const edit = noteForm.safeParse(form);
    // A refused save shows again the report the doctor had open; it is not
    // recorded as a new reading, so a refused request writes nothing.
    if (!edit.success) {
      const view = await viewReport(clinic, doctor, id);
      return page<ReportData>({
        view,
        error: edit.error.issues[0].message,
      }, { status: 400 });
    }
    const result = await saveNote(clinic.kv, id, doctor.id, edit.data);
    if ("saved" in result) return ctx.redirect(`/sessions/${id}?done=saved`);
    const view = await viewReport(clinic, doctor, id);
    return page<ReportData>({
      view,
      conflict: { mine: edit.data.text, theirs: result.conflict },
    }, { status: 409 });
  },
});

function time(ms: number | null, tz: string) {
  return ms === null ? "—" : formatDateTime(ms, tz);
}

export default defineDoctor.page<typeof handler>(({ data, state }) => {
  const tz = state.clinic.config.timeZone;
  const { session: s, report, quality, chat, note, versions } = data.view;
  return (
    <article class="report">
      <Head>
        <title>Visit report: {s.patientName}</title>
      </Head>
      <p class="no-print">
        <a href="/history">← Visit history</a>
      </p>
      <section class="panel">
        <h1>Visit report: {s.patientName}</h1>
        {data.notice && <Notice kind="success">{data.notice}</Notice>}
        <dl class="facts">
          <dt>Scheduled</dt>
          <dd>
            {formatDateTime(s.scheduledStart, tz)} ({s.scheduledMinutes} min,
            {" "}
            {tz})
          </dd>
          <dt>Reason</dt>
          <dd>{s.reason || "—"}</dd>
          <ContactFacts contact={data.view.contact} />
          <dt>Status</dt>
          <dd data-session-status={s.status}>{statusWords(s)}</dd>
          <dt>Call started</dt>
          <dd>
            {s.startedAt === null ? "The two never met" : time(s.startedAt, tz)}
          </dd>
          <dt>Call ended</dt>
          <dd>{time(s.endedAt, tz)}</dd>
          <dt>Duration</dt>
          <dd data-duration>{durationWords(s.durationSeconds)}</dd>
        </dl>
        {report && (
          <p class="muted">
            Report written {formatDateTime(report.generatedAt, tz)}.
          </p>
        )}
        {s.status === "open" && (
          <form method="post" class="inline">
            <input type="hidden" name="action" value="end" />
            <button type="submit" class="button danger">End visit</button>
          </form>
        )}
      </section>

      <section class="panel" aria-labelledby="people-title">
        <h2 id="people-title">Who was there</h2>
        <table class="visits">
          <ColumnHeads
            names={["Participant", "First joined", "Last left", "Reconnects"]}
          />
          <tbody>
            {ROLES.map((role) => {
              const p = s.participants[role];
              return (
                <tr key={role}>
                  <th scope="row">{role}</th>
                  <td>
                    {p.joins === 0 ? "Never joined" : time(p.firstJoinedAt, tz)}
                  </td>
                  <td>{p.present ? "In the call" : time(p.lastLeftAt, tz)}</td>
                  <td>{Math.max(p.joins - 1, 0)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <h3>Timeline</h3>
        <ol class="timeline">
          {s.timeline.map((e, i) => (
            <li key={i}>
              {formatDateTime(e.at, tz)}: {e.role} {e.kind}
              {e.reason && e.reason !== "left" ? ` (${e.reason})` : ""}
            </li>
          ))}
        </ol>
      </section>

      <QualityTable quality={quality} />

      <section class="panel" aria-labelledby="chat-title">
        <h2 id="chat-title">Chat</h2>
        {chat === null
          ? <p>The clinic does not keep chat after a visit.</p>
          : chat.length === 0
          ? <p>Nothing was written in the chat.</p>
          : (
            <ol class="transcript">
              {chat.map((line) => (
                <li key={line.id}>
                  <span class="muted">
                    {formatDateTime(Date.parse(line.at), tz)}, {line.from}:
                  </span>{" "}
                  {line.text}
                </li>
              ))}
            </ol>
          )}
      </section>

      <NotesPanel
        note={note}
        versions={versions}
        timeZone={tz}
        error={data.error}
        conflict={data.conflict}
      />
    </article>
  );
});
