import { define } from "@/lib/define.ts";
import { call as callText } from "@/lib/i18n/text/call.ts";
import { deviceTest } from "@/lib/i18n/text/device_page.ts";
import { openVisitPage } from "@/lib/sessions/visit_pages.ts";
import { ClinicContact } from "@/lib/ui/patient_page.tsx";
import { Head } from "@/lib/web/render.tsx";
import DeviceTest from "@/islands/DeviceTest.tsx";
import { page } from "@/lib/web/page.ts";

/**
 * "Test my camera and microphone": open whenever the visit link is, before
 * the join window as well as during it, and never a join: no ticket, no
 * call socket.
 */
export const handler = define.handlers({
  async GET(ctx) {
    const visit = await openVisitPage(ctx.state.clinic, ctx.params.token);
    ctx.state.patientPage = { language: visit.language };
    return page(visit, { headers: { "Cache-Control": "no-store" } });
  },
});

export default define.page<typeof handler>(({ data, params, state }) => {
  const text = deviceTest[data.language];
  const call = callText[data.language];
  return (
    <section class="panel narrow device-test-page">
      <Head>
        <title>{text.title}</title>
        <meta name="robots" content="noindex" />
      </Head>
      <h1>{text.title}</h1>
      <p>{text.intro}</p>
      <DeviceTest
        text={text}
        words={{
          yourCamera: call.yourCamera,
          micLevel: call.micLevel,
          camera: call.camera,
          microphone: call.microphone,
          cameraNumber: call.cameraNumber,
          microphoneNumber: call.microphoneNumber,
        }}
      />
      <p>
        <a href={`/visit/${params.token}`}>{text.back}</a>
      </p>
      <ClinicContact config={state.clinic.config} language={data.language} />
    </section>
  );
});
