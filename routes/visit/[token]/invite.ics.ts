import { openVisit } from "@/lib/clinic/visit_access.ts";
import { patientInviteResponse } from "@/lib/clinic/visit_invite.ts";
import { define } from "@/lib/define.ts";

export const handler = define.handlers({
  async GET(ctx) {
    const { appointment, doctor } = await openVisit(
      ctx.state.clinic,
      ctx.params.token,
    );
    return patientInviteResponse(ctx.state.clinic, appointment, {
      doctor,
      url: `${ctx.state.clinic.config.publicUrl}/visit/${ctx.params.token}`,
    });
  },
});
