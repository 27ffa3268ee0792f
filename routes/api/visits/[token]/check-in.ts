import {
  checkInBody,
  checkInJson,
  checkInVisit,
  consentFor,
  visitCheckIn,
} from "@/lib/clinic/check_in.ts";
import { define } from "@/lib/define.ts";
import { readJson } from "@/lib/http/input.ts";
import { openVisitPage } from "@/lib/sessions/visit_pages.ts";

const NO_STORE = { "Cache-Control": "no-store" };

/**
 * The patient's check-in, for a client other than the visit's page: GET
 * says whether it is done, and what to confirm (the name on the visit, the
 * consent in the visit's language and its version); POST checks in with
 * `{ "name", "consent": true, "consentVersion" }`.
 */
export const handler = define.handlers({
  async GET(ctx) {
    const { clinic } = ctx.state;
    const visit = await openVisitPage(clinic, ctx.params.token);
    const done = await visitCheckIn(clinic, visit.appointment.id);
    const consent = await consentFor(clinic.config, visit.language);
    return Response.json({
      checkedIn: done ? checkInJson(done) : null,
      name: visit.appointment.patientName,
      consent,
    }, { headers: NO_STORE });
  },
  async POST(ctx) {
    const { clinic } = ctx.state;
    const visit = await openVisitPage(clinic, ctx.params.token);
    const input = await readJson(ctx.req, checkInBody(visit.language));
    const done = await checkInVisit(clinic, visit, input);
    return Response.json({ checkedIn: checkInJson(done) }, {
      headers: NO_STORE,
    });
  },
});
