import { doctorLabel } from "@/lib/clinic/doctor_label.ts";
import { define } from "@/lib/define.ts";
import { call as callText } from "@/lib/i18n/text/call.ts";
import { visit as visitText } from "@/lib/i18n/text/visit.ts";
import { openVisitPage } from "@/lib/sessions/visit_pages.ts";
import { Head } from "@/lib/web/render.tsx";
import Call from "@/islands/Call.tsx";
import { page } from "@/lib/web/page.ts";

export const handler = define.handlers({
  async GET(ctx) {
    const visit = await openVisitPage(ctx.state.clinic, ctx.params.token);
    ctx.state.patientPage = { language: visit.language };
    ctx.state.inCall = true;
    return page(visit, { headers: { "Cache-Control": "no-store" } });
  },
});

export default define.page<typeof handler>(({ data, params, state }) => (
  <>
    <Head>
      <title>{visitText[data.language].callTitle}</title>
      <meta name="robots" content="noindex" />
    </Head>
    <Call
      role="patient"
      ticketUrl={`/api/visits/${params.token}/ticket`}
      peerLabel={doctorLabel(data.doctor)}
      peerName={data.doctor.name}
      doneUrl={`/visit/${params.token}`}
      testHooks={state.clinic.config.callTestHooks}
      language={data.language}
      text={callText[data.language]}
    />
  </>
));
