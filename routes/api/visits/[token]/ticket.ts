import { openVisit } from "@/lib/clinic/visit_access.ts";
import { define } from "@/lib/define.ts";
import { joinOffer } from "@/lib/signaling/join_offer.ts";

/**
 * A join ticket for the holder of the visit link: the patient. Whether the
 * call has ended is the room's rule to answer (409 `room_closed`).
 */
export const handler = define.handlers({
  async POST(ctx) {
    const { appointment } = await openVisit(ctx.state.clinic, ctx.params.token);
    return Response.json(
      await joinOffer(ctx.state.clinic, appointment, "patient"),
      {
        headers: { "Cache-Control": "no-store" },
      },
    );
  },
});
