import { doctorsAppointment } from "@/lib/clinic/scheduling.ts";
import { mailJson, visitMessages } from "@/lib/clinic/visit_mail.ts";
import { defineDoctor } from "@/lib/define.ts";

/** The visit's mail and the status of each message, newest first. */
export const handler = defineDoctor.handlers({
  async GET(ctx) {
    const { clinic, doctor } = ctx.state;
    const { value } = await doctorsAppointment(clinic, doctor, ctx.params.id);
    const items = await visitMessages(clinic, value.id);
    return Response.json({ items: items.map(mailJson) });
  },
});
