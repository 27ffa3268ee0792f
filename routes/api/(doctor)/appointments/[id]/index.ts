import {
  cancelVisit,
  doctorsAppointment,
  rescheduleVisit,
} from "@/lib/clinic/scheduling.ts";
import { cancelVisitJson, changeVisitJson } from "@/lib/clinic/visit_input.ts";
import { defineDoctor } from "@/lib/define.ts";
import { readJson } from "@/lib/http/input.ts";
import { appointmentView, guardFor } from "@/lib/sessions/visit_state.ts";

/** A version from `If-Match`, the way HTTP asks for "only if unchanged". */
function ifMatch(req: Request): string | undefined {
  const value = req.headers.get("if-match")?.trim().replace(/^W\//, "").replace(
    /"/g,
    "",
  );
  return value || undefined;
}

/** Whether the request says it carries a body (a bare DELETE does not). */
function hasBody(req: Request): boolean {
  const length = req.headers.get("content-length");
  return req.headers.has("content-type") ||
    req.headers.has("transfer-encoding") ||
    (length !== null && length !== "0");
}

export const handler = defineDoctor.handlers({
  async GET(ctx) {
    const { clinic, doctor } = ctx.state;
    const found = await doctorsAppointment(clinic, doctor, ctx.params.id);
    return Response.json(await appointmentView(clinic, found), {
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
      guardFor(ctx.state.clinic, "reschedule"),
      version ?? ifMatch(ctx.req),
    );
    return Response.json(await appointmentView(ctx.state.clinic, updated), {
      headers: { ETag: `"${updated.version}"` },
    });
  },
  async DELETE(ctx) {
    // The body is optional: `{ "reason": "..." }`, sent to the patient.
    const { reason } = hasBody(ctx.req)
      ? await readJson(ctx.req, cancelVisitJson)
      : {};
    const cancelled = await cancelVisit(
      ctx.state.clinic,
      ctx.state.doctor,
      ctx.params.id,
      guardFor(ctx.state.clinic, "cancel"),
      ifMatch(ctx.req),
      reason,
    );
    return Response.json(await appointmentView(ctx.state.clinic, cancelled));
  },
});
