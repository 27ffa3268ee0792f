import { defineDoctor } from "@/lib/define.ts";
import { endVisit } from "@/lib/sessions/end_visit.ts";
import { sessionJson } from "@/lib/sessions/views.ts";

/** Ends the visit's call; ending an ended one answers the same session. */
export const handler = defineDoctor.handlers({
  async POST(ctx) {
    const { clinic, doctor } = ctx.state;
    const closed = await endVisit(clinic, doctor, ctx.params.id);
    return Response.json({
      ...sessionJson(closed.session, clinic.config.publicUrl),
      alreadyEnded: !closed.first,
    });
  },
});
