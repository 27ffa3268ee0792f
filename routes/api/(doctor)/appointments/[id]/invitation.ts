import { mailJson, resendInvitation } from "@/lib/clinic/visit_mail.ts";
import { defineDoctor } from "@/lib/define.ts";
import { readVisitState } from "@/lib/sessions/visit_state.ts";

/** Sends the patient the invitation again, with the current visit link. */
export const handler = defineDoctor.handlers({
  async POST(ctx) {
    const { clinic, doctor } = ctx.state;
    const message = await resendInvitation(
      clinic,
      doctor,
      ctx.params.id,
      (a) => readVisitState(clinic, a),
    );
    return Response.json(mailJson(message), { status: 202 });
  },
});
