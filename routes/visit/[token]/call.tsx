import { type OpenVisit, openVisit } from "@/lib/clinic/visit_access.ts";
import { define } from "@/lib/define.ts";
import { Head } from "@/lib/web/render.tsx";
import Call from "@/islands/Call.tsx";

export const handler = define.handlers({
  async GET(ctx) {
    const visit = await openVisit(ctx.state.clinic, ctx.params.token);
    return ctx.render(visit, { headers: { "Cache-Control": "no-store" } });
  },
});

export default define.page<OpenVisit>(({ data, params }) => (
  <>
    <Head>
      <title>Video visit</title>
      <meta name="robots" content="noindex" />
    </Head>
    <Call
      role="patient"
      ticketUrl={`/api/visits/${params.token}/ticket`}
      peerLabel={data.doctor.name}
      doneUrl={`/visit/${params.token}`}
    />
  </>
));
