import { requireAdmin } from "@/lib/auth/guards.ts";
import { defineDoctor } from "@/lib/define.ts";
import { parseOr400 } from "@/lib/http/input.ts";
import { listAudit } from "@/lib/store/audit.ts";
import { pageQuery } from "@/lib/clinic/visit_input.ts";

/** The audit trail, newest first, for the clinic's administrators. */
export const handler = defineDoctor.handlers({
  async GET(ctx) {
    requireAdmin(ctx.state.doctor, "read the audit trail");
    const query = parseOr400(
      pageQuery,
      Object.fromEntries(ctx.url.searchParams),
    );
    const page = await listAudit(ctx.state.clinic.kv, query);
    return Response.json({
      items: page.items.map((e) => ({
        ...e,
        at: new Date(e.at).toISOString(),
      })),
      cursor: page.cursor ?? null,
    });
  },
});
