import { openVisit } from "@/lib/clinic/visit_access.ts";
import { doctorLabel } from "@/lib/clinic/doctor_label.ts";
import { define } from "@/lib/define.ts";
import { Head } from "@/lib/web/render.tsx";
import Call from "@/islands/Call.tsx";
import { page } from "@/lib/web/page.ts";

export const handler = define.handlers({
  async GET(ctx) {
    const visit = await openVisit(ctx.state.clinic, ctx.params.token);
    return page(visit, { headers: { "Cache-Control": "no-store" } });
  },
});

export default define.page<typeof handler>(({ data, params, state }) => (
  <>
    <Head>
      <title>Video visit</title>
      <meta name="robots" content="noindex" />
    </Head>
    <Call
      role="patient"
      ticketUrl={`/api/visits/${params.token}/ticket`}
      peerLabel={doctorLabel(data.doctor)}
      doneUrl={`/visit/${params.token}`}
      testHooks={state.clinic.config.callTestHooks}
    />
  </>
));
