import { defineDoctor } from "@/lib/define.ts";
import { parseOr400 } from "@/lib/http/input.ts";
import { doctorHistory, recordHistoryRead } from "@/lib/sessions/history.ts";
import { sessionsQuery } from "@/lib/sessions/history_input.ts";
import { sessionSummaryJson } from "@/lib/sessions/views.ts";

export const handler = defineDoctor.handlers({
  async GET(ctx) {
    const { clinic, doctor } = ctx.state;
    const query = parseOr400(
      sessionsQuery,
      Object.fromEntries(ctx.url.searchParams),
    );
    const page = await doctorHistory(clinic, doctor.id, query);
    await recordHistoryRead(clinic, doctor, "sessions.listed", query);
    return Response.json({
      items: page.items.map((s) =>
        sessionSummaryJson(s, clinic.config.publicUrl)
      ),
      cursor: page.cursor ?? null,
    });
  },
});
