import { appointmentJson } from "@/lib/clinic/appointment_views.ts";
import {
  cancelVisit,
  doctorsAppointment,
  rescheduleVisit,
} from "@/lib/clinic/scheduling.ts";
import { changeVisitJson } from "@/lib/clinic/visit_input.ts";
import { defineDoctor } from "@/lib/define.ts";
import { readJson } from "@/lib/http/input.ts";

/** A version from `If-Match`, the way HTTP asks for "only if unchanged". */
function ifMatch(req: Request): string | undefined {
  const value = req.headers.get("if-match")?.trim().replace(/^W\//, "").replace(
    /"/g,
    "",
  );
  return value || undefined;
}

export const handler = defineDoctor.handlers({
  async GET(ctx) {
    const { clinic, doctor } = ctx.state;
    const found = await doctorsAppointment(clinic, doctor, ctx.params.id);
    return Response.json(appointmentJson(found), {
      headers: { ETag: `"${found.version}"` },
    });
  },
  async PATCH(ctx) {
    const { version, ...change } = await readJson(ctx.req, changeVisitJson);
    const updated = await rescheduleVisit(
      ctx.state.clinic,
      ctx.state.doctor,
      ctx.params.id,
      change,
      version ?? ifMatch(ctx.req),
    );
    return Response.json(appointmentJson(updated), {
      headers: { ETag: `"${updated.version}"` },
    });
  },
  async DELETE(ctx) {
    const cancelled = await cancelVisit(
      ctx.state.clinic,
      ctx.state.doctor,
      ctx.params.id,
      ifMatch(ctx.req),
    );
    return Response.json(appointmentJson(cancelled));
  },
});
