import { appointmentJson } from "@/lib/clinic/appointment_views.ts";
import { reissueVisitLink } from "@/lib/clinic/visit_links.ts";
import { defineDoctor } from "@/lib/define.ts";

/** Issues a new visit link; the old one stops working. */
export const handler = defineDoctor.handlers({
  async POST(ctx) {
    const { clinic, doctor } = ctx.state;
    const visit = await reissueVisitLink(clinic, doctor, ctx.params.id);
    return Response.json(
      appointmentJson(
        visit.appointment,
        { visitUrl: visit.visitUrl },
        ctx.state.clinic.config,
      ),
    );
  },
});
