import { doctorsAppointment } from "@/lib/clinic/scheduling.ts";
import { doctorInviteResponse } from "@/lib/clinic/visit_invite.ts";
import { defineDoctor } from "@/lib/define.ts";

export const handler = defineDoctor.handlers({
  async GET(ctx) {
    const { clinic, doctor } = ctx.state;
    const { value } = await doctorsAppointment(clinic, doctor, ctx.params.id);
    return doctorInviteResponse(clinic, value, {
      // No patient's name: the calendar is not the clinic's to keep.
      summary: "Video visit",
      url: `${clinic.config.publicUrl}/appointments/${value.id}`,
    });
  },
});
