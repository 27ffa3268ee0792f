import { requireAdmin } from "@/lib/auth/guards.ts";
import { formatDateTime } from "@/lib/clinic/time.ts";
import { defineDoctor } from "@/lib/define.ts";
import { parseOr400 } from "@/lib/http/input.ts";
import { type AuditEntry, listAudit } from "@/lib/store/audit.ts";
import { pageQuery } from "@/lib/clinic/visit_input.ts";
import { listDoctors } from "@/lib/store/doctors.ts";
import { Head } from "@/lib/web/render.tsx";
import { page } from "@/lib/web/page.ts";
import { ColumnHeads } from "@/lib/ui/column_heads.tsx";

interface AuditData {
  entries: AuditEntry[];
  doctorNames: Record<string, string>;
  nextCursor?: string;
}

export const handler = defineDoctor.handlers({
  async GET(ctx) {
    requireAdmin(ctx.state.doctor, "read the audit trail");
    const { kv } = ctx.state.clinic;
    const query = parseOr400(pageQuery, {
      limit: "50",
      ...Object.fromEntries(ctx.url.searchParams),
    });
    const found = await listAudit(kv, query);
    const doctorNames = Object.fromEntries(
      (await listDoctors(kv)).map((d) => [d.id, d.name]),
    );
    return page<AuditData>({
      entries: found.items,
      doctorNames,
      nextCursor: found.cursor,
    });
  },
});

export default defineDoctor.page<typeof handler>(({ data, state }) => {
  const tz = state.clinic.config.timeZone;
  const who = (e: AuditEntry) =>
    e.actor.kind === "doctor"
      ? data.doctorNames[e.actor.id] ?? "A former doctor"
      : e.actor.kind === "patient"
      ? "Patient"
      : e.actor.kind === "anonymous"
      ? "Not signed in"
      : "The clinic (automatic)";
  return (
    <section class="panel">
      <Head>
        <title>Audit trail</title>
      </Head>
      <h1>Audit trail</h1>
      <p class="muted">
        Who did what and when, newest first. Entries are never changed or
        removed, and hold no note text.
      </p>
      <table class="visits audit">
        <ColumnHeads
          names={[`When (${tz})`, "Who", "What", "Record", "Detail", "Address"]}
        />
        <tbody>
          {data.entries.map((e) => (
            <tr key={e.id}>
              <td>{formatDateTime(e.at, tz)}</td>
              <td>{who(e)}</td>
              <td>{e.action}</td>
              <td>
                <code>{e.subject.slice(0, 8)}</code>
              </td>
              <td>{e.detail ?? ""}</td>
              <td>{e.address ?? ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {data.nextCursor && (
        <p>
          <a
            class="button secondary"
            href={`/audit?cursor=${encodeURIComponent(data.nextCursor)}`}
          >
            Older entries
          </a>
        </p>
      )}
    </section>
  );
});
