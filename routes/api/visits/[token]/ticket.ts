import { openVisit } from "@/lib/clinic/visit_access.ts";
import { define } from "@/lib/define.ts";
import { joinOffer } from "@/lib/signaling/join_offer.ts";

/** A join ticket for the holder of the visit link: the patient. */
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
