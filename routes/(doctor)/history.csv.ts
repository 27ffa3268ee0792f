import { defineDoctor } from "@/lib/define.ts";
import { HttpError } from "@/lib/http/errors.ts";
import { parseOr400 } from "@/lib/http/input.ts";
import { recordHistoryRead } from "@/lib/sessions/history.ts";
import { historyCsv } from "@/lib/sessions/history_csv.ts";
import { historyForm } from "@/lib/sessions/history_input.ts";

/** The filtered history as CSV, every page of it, streamed. */
export const handler = defineDoctor.handlers({
  async GET(ctx) {
    const { clinic, doctor } = ctx.state;
    const query = Object.fromEntries(ctx.url.searchParams);
    const { patient, from, to, cursor } = parseOr400(
      historyForm(clinic.config.timeZone),
      query,
    );
    if (cursor) {
      throw new HttpError(400, "invalid_input", "The export has no pages.");
    }
    await recordHistoryRead(clinic, doctor, "history.exported", {
      patientId: patient,
      from,
      to,
    });
    const body = historyCsv(clinic, doctor.id, {
      patientId: patient,
      from,
      to,
    });
    return new Response(body, {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": 'attachment; filename="visit-history.csv"',
      },
    });
  },
});
