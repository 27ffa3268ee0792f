import { mailJson, resendInvitation } from "@/lib/clinic/visit_mail.ts";
import { defineDoctor } from "@/lib/define.ts";

/** Sends the patient the invitation again, with the current visit link. */
export const handler = defineDoctor.handlers({
  async POST(ctx) {
    const { clinic, doctor } = ctx.state;
    const message = await resendInvitation(clinic, doctor, ctx.params.id);
    return Response.json(mailJson(message), { status: 202 });
  },
});
