import { defineDoctor } from "@/lib/define.ts";
import { audit } from "@/lib/store/audit.ts";
import { doctorsSession } from "@/lib/sessions/history.ts";
import { sessionJson } from "@/lib/sessions/views.ts";

export const handler = defineDoctor.handlers({
  async GET(ctx) {
    const { clinic, doctor } = ctx.state;
    const session = await doctorsSession(clinic, doctor, ctx.params.id);
    await audit(clinic.kv, {
      actor: { kind: "doctor", id: doctor.id },
      action: "report.viewed",
      subject: session.id,
      detail: "summary",
    });
    return Response.json(sessionJson(session, clinic.config.publicUrl));
  },
});
