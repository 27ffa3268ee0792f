import { openVisit } from "../../../lib/clinic/visit_access.ts";
import { define } from "../../../lib/define.ts";
import { CallPending } from "../../../lib/ui/call_pending.tsx";
import { Head } from "../../../lib/web/render.tsx";

export const handler = define.handlers({
  async GET(ctx) {
    await openVisit(ctx.state.clinic, ctx.params.token);
    return ctx.render(undefined, { headers: { "Cache-Control": "no-store" } });
  },
});

export default define.page(({ params }) => (
  <>
    <Head>
      <title>Video call</title>
      <meta name="robots" content="noindex" />
    </Head>
    <CallPending back={`/visit/${params.token}`} />
  </>
));
