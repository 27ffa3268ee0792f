import { openPersonalPage } from "@/lib/clinic/personal_link_access.ts";
import { define } from "@/lib/define.ts";
import { parseOr400 } from "@/lib/http/input.ts";
import { pageQuery } from "@/lib/clinic/visit_input.ts";
import { pastVisits } from "@/lib/sessions/patient_visits.ts";

/** The holder of a patient's personal link: their past visits, newest first. */
export const handler = define.handlers({
  async GET(ctx) {
    const { clinic } = ctx.state;
    const patient = await openPersonalPage(clinic, ctx.params.token);
    const query = parseOr400(
      pageQuery,
      Object.fromEntries(ctx.url.searchParams),
    );
    const page = await pastVisits(clinic, patient, query);
    return Response.json({
      items: page.items.map((v) => ({
        id: v.id,
        lifecycle: v.lifecycle.state,
        at: new Date(v.at).toISOString(),
        doctor: v.doctorName,
        durationSeconds: v.durationSeconds,
        sharedNote: v.sharedNote && {
          text: v.sharedNote.text,
          savedAt: new Date(v.sharedNote.savedAt).toISOString(),
        },
      })),
      cursor: page.cursor ?? null,
    }, { headers: { "Cache-Control": "no-store" } });
  },
});
