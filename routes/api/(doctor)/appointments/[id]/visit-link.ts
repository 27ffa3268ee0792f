import { reissueVisitLink } from "@/lib/clinic/visit_links.ts";
import { appointmentView, guardFor } from "@/lib/sessions/visit_state.ts";
import { defineDoctor } from "@/lib/define.ts";

/** Issues a new visit link; the old one stops working. */
export const handler = defineDoctor.handlers({
  async POST(ctx) {
    const { clinic, doctor } = ctx.state;
    const visit = await reissueVisitLink(
      clinic,
      doctor,
      ctx.params.id,
      guardFor(clinic, "new-visit-link"),
    );
    return Response.json(
      await appointmentView(clinic, visit.appointment, {
        visitUrl: visit.visitUrl,
      }),
    );
  },
});
