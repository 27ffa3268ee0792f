import { appointmentJson } from "@/lib/clinic/appointment_views.ts";
import { scheduleVisit } from "@/lib/clinic/scheduling.ts";
import { createVisitJson, listQuery } from "@/lib/clinic/visit_input.ts";
import { defineDoctor } from "@/lib/define.ts";
import { parseOr400, readJson } from "@/lib/http/input.ts";
import { listByDoctor } from "@/lib/store/appointment_lists.ts";
import {
  appointmentView,
  readVisitStates,
} from "@/lib/sessions/visit_state.ts";

export const handler = defineDoctor.handlers({
  async GET(ctx) {
    const query = parseOr400(
      listQuery,
      Object.fromEntries(ctx.url.searchParams),
    );
    const page = await listByDoctor(
      ctx.state.clinic.kv,
      ctx.state.doctor.id,
      query,
    );
    const states = await readVisitStates(
      ctx.state.clinic,
      page.items.map((a) => a.value),
    );
    return Response.json({
      items: page.items.map((a) =>
        appointmentJson(
          a,
          {},
          ctx.state.clinic.config,
          states.get(a.value.id)!.state,
        )
      ),
      cursor: page.cursor ?? null,
    });
  },
  async POST(ctx) {
    const input = await readJson(ctx.req, createVisitJson);
    const visit = await scheduleVisit(
      ctx.state.clinic,
      ctx.state.doctor,
      input,
    );
    const body = await appointmentView(ctx.state.clinic, visit.appointment, {
      visitUrl: visit.visitUrl,
      ...(visit.patientDashboardUrl
        ? { patientDashboardUrl: visit.patientDashboardUrl }
        : {}),
    });
    return Response.json(body, {
      status: 201,
      headers: { Location: `/api/appointments/${body.id}` },
    });
  },
});
