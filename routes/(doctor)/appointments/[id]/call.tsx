import { doctorsAppointment } from "@/lib/clinic/scheduling.ts";
import { defineDoctor } from "@/lib/define.ts";
import { call as callText } from "@/lib/i18n/text/call.ts";
import { Head } from "@/lib/web/render.tsx";
import Call from "@/islands/Call.tsx";
import { page } from "@/lib/web/page.ts";
import { readVisitState } from "@/lib/sessions/visit_state.ts";
import { isOver } from "@/lib/clinic/visit_lifecycle.ts";

export const handler = defineDoctor.handlers({
  async GET(ctx) {
    const { clinic, doctor } = ctx.state;
    const { value } = await doctorsAppointment(clinic, doctor, ctx.params.id);
    // A visit that is over has no call to open: its page offers the report.
    const { state } = await readVisitState(clinic, value);
    if (isOver(state)) {
      return ctx.redirect(`/appointments/${value.id}`, 303);
    }
    ctx.state.inCall = true;
    return page(value);
  },
});

export default defineDoctor.page<typeof handler>(({ data, state }) => (
  <>
    <Head>
      <title>Video visit with {data.patientName}</title>
    </Head>
    <Call
      role="doctor"
      ticketUrl={`/api/appointments/${data.id}/ticket`}
      peerLabel={data.patientName}
      peerName={data.patientName}
      doneUrl={`/appointments/${data.id}`}
      reportUrl={`/sessions/${data.id}`}
      testHooks={state.clinic.config.callTestHooks}
      language="en"
      text={callText.en}
    />
  </>
));
