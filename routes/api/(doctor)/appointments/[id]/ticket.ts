import { doctorsAppointment } from "@/lib/clinic/scheduling.ts";
import { defineDoctor } from "@/lib/define.ts";
import { joinOffer } from "@/lib/signaling/join_offer.ts";

/** A join ticket for the doctor of this appointment. */
export const handler = defineDoctor.handlers({
  async POST(ctx) {
    const { clinic, doctor, loginSessionHash } = ctx.state;
    const { value } = await doctorsAppointment(clinic, doctor, ctx.params.id);
    return Response.json(
      await joinOffer(
        clinic,
        value,
        "doctor",
        undefined,
        loginSessionHash ?? undefined,
      ),
    );
  },
});
