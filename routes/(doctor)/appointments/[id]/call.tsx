import { doctorsAppointment } from "../../../../lib/clinic/scheduling.ts";
import { define } from "../../../../lib/define.ts";
import { CallPending } from "../../../../lib/ui/call_pending.tsx";
import { Head } from "../../../../lib/web/render.tsx";

export const handler = define.handlers({
  async GET(ctx) {
    await doctorsAppointment(
      ctx.state.clinic,
      ctx.state.doctor!,
      ctx.params.id,
    );
    return ctx.render();
  },
});

export default define.page(({ params }) => (
  <>
    <Head>
      <title>Video call</title>
    </Head>
    <CallPending back={`/appointments/${params.id}`} />
  </>
));
