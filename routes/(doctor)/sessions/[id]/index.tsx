import { z } from "zod";
import { formatDateTime } from "@/lib/clinic/time.ts";
import { defineDoctor } from "@/lib/define.ts";
import { parseOr400, readForm } from "@/lib/http/input.ts";
import { average, type QualitySummary } from "@/lib/sessions/call_quality.ts";
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
import { type Role, ROLES } from "@/lib/protocol/messages.ts";
import { Notice } from "@/lib/ui/form.tsx";
import { Head } from "@/lib/web/render.tsx";
import { page } from "@/lib/web/page.ts";

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

function QualityRow(
  { role, q }: { role: Role; q: QualitySummary | null },
) {
  const fixed = (n: number | null, unit: string) =>
    n === null ? "—" : `${Math.round(n)} ${unit}`;
  if (!q) {
    return (
      <tr>
        <th scope="row">{role}</th>
        <td colSpan={6}>No measurements</td>
      </tr>
    );
  }
  return (
    <tr>
      <th scope="row">{role}</th>
      <td>{q.samples}</td>
      <td>
        {fixed(average(q.rttMs), "ms")} (worst {fixed(q.rttMs.max, "ms")})
      </td>
      <td>
        {q.lossPercent.count === 0
          ? "—"
          : `${(average(q.lossPercent) ?? 0).toFixed(1)} % (worst ${
            q.lossPercent.max.toFixed(1)
          } %)`}
      </td>
      <td>{fixed(average(q.jitterMs), "ms")}</td>
      <td>{fixed(average(q.bitrateKbps), "kbit/s")}</td>
      <td>
        {q.relayed === null ? "—" : q.relayed ? "relayed (TURN)" : "direct"}
        {q.ratings.poor > 0 && `, poor in ${q.ratings.poor} of ${q.samples}`}
      </td>
    </tr>
  );
}

export default defineDoctor.page<typeof handler>(({ data, state }) => {
  const tz = state.clinic.config.timeZone;
  const { session: s, report, quality, chat, note, versions } = data.view;
  const baseVersion = note?.version ?? 0;
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
          <thead>
            <tr>
              <th scope="col">Participant</th>
              <th scope="col">First joined</th>
              <th scope="col">Last left</th>
              <th scope="col">Reconnects</th>
            </tr>
          </thead>
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

      <section class="panel" aria-labelledby="quality-title">
        <h2 id="quality-title">Connection quality</h2>
        <table class="visits">
          <thead>
            <tr>
              <th scope="col">Side</th>
              <th scope="col">Samples</th>
              <th scope="col">Round trip</th>
              <th scope="col">Packet loss</th>
              <th scope="col">Jitter</th>
              <th scope="col">Bitrate</th>
              <th scope="col">Path</th>
            </tr>
          </thead>
          <tbody>
            <QualityRow role="doctor" q={quality.doctor} />
            <QualityRow role="patient" q={quality.patient} />
          </tbody>
        </table>
      </section>

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

      <section class="panel" aria-labelledby="notes-title">
        <h2 id="notes-title">Doctor's notes</h2>
        {note
          ? (
            <>
              <p class="muted">
                Version {note.version}, saved {formatDateTime(note.savedAt, tz)}
                {note.shared
                  ? ". Shared with the patient."
                  : ". Not shared with the patient."}
              </p>
              <div class="note-text">{note.text}</div>
            </>
          )
          : <p>No notes yet.</p>}
        {data.error && (
          <div class="alert alert-error" role="alert">{data.error}</div>
        )}
        {data.conflict && (
          <div class="alert alert-error conflict" role="alert">
            <p>
              These notes were saved from somewhere else while you were editing,
              so your save was not made. Both texts are below: copy what you
              need into the box and save again.
            </p>
            <h3>Saved now</h3>
            <div class="note-text">{data.conflict.theirs?.text ?? ""}</div>
            <h3>Yours, not saved</h3>
            <div class="note-text" data-unsaved>{data.conflict.mine}</div>
          </div>
        )}
        <form method="post" class="note-form">
          <input type="hidden" name="action" value="save-note" />
          <input type="hidden" name="baseVersion" value={String(baseVersion)} />
          <div class="field">
            <label for="note-text">Notes</label>
            <textarea id="note-text" name="text" rows={8} maxLength={10_000}>
              {data.conflict?.mine ?? note?.text ?? ""}
            </textarea>
          </div>
          <div class="field checkbox">
            <input
              id="note-shared"
              type="checkbox"
              name="shared"
              value="on"
              checked={note?.shared ?? false}
            />
            <label for="note-shared">Share these notes with the patient</label>
          </div>
          <button type="submit" class="button">Save notes</button>
        </form>
        {versions.length > 1 && (
          <details>
            <summary>Earlier versions ({versions.length - 1})</summary>
            <ol class="versions">
              {versions.slice(1).map((v) => (
                <li key={v.version}>
                  <p class="muted">
                    Version {v.version}, {formatDateTime(v.savedAt, tz)}
                    {v.shared ? ", shared" : ""}
                  </p>
                  <div class="note-text">{v.text}</div>
                </li>
              ))}
            </ol>
          </details>
        )}
      </section>
    </article>
  );
});
