import { openVisit } from "@/lib/clinic/visit_access.ts";
import { visitInviteResponse } from "@/lib/clinic/visit_invite.ts";
import { define } from "@/lib/define.ts";

export const handler = define.handlers({
  async GET(ctx) {
    const { appointment, doctor } = await openVisit(
      ctx.state.clinic,
      ctx.params.token,
    );
    return visitInviteResponse(ctx.state.clinic, appointment, {
      summary: `Video visit with ${doctor.name}`,
      url: `${ctx.state.clinic.config.publicUrl}/visit/${ctx.params.token}`,
    });
  },
});
