import { checkInNeeded, visitCheckIn } from "@/lib/clinic/check_in.ts";
import { openVisit } from "@/lib/clinic/visit_access.ts";
import { define } from "@/lib/define.ts";
import { joinOffer } from "@/lib/signaling/join_offer.ts";

/**
 * A join ticket for the holder of the visit link: the patient, once checked
 * in. Whether the call has ended is the room's rule to answer (409
 * `room_closed`); then a patient who has not checked in gets 409
 * `check_in_needed`.
 */
export const handler = define.handlers({
  async POST(ctx) {
    const { clinic } = ctx.state;
    const { appointment } = await openVisit(clinic, ctx.params.token);
    const offer = await joinOffer(clinic, appointment, "patient", async () => {
      if (!await visitCheckIn(clinic, appointment.id)) throw checkInNeeded();
    });
    return Response.json(offer, { headers: { "Cache-Control": "no-store" } });
  },
});
