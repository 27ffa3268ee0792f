import { formatDateTime } from "@/lib/clinic/time.ts";
import { openVisit } from "@/lib/clinic/visit_access.ts";
import { doctorLabel } from "@/lib/clinic/doctor_label.ts";
import { joinOpensAt, windowEnd } from "@/lib/clinic/visit_window.ts";
import { define } from "@/lib/define.ts";
import { Head } from "@/lib/web/render.tsx";
import JoinCall from "@/islands/JoinCall.tsx";
import { page } from "@/lib/web/page.ts";

export const handler = define.handlers({
  async GET(ctx) {
    const visit = await openVisit(ctx.state.clinic, ctx.params.token);
    return page(visit, { headers: { "Cache-Control": "no-store" } });
  },
});

export default define.page<typeof handler>(({ data, params, state }) => {
  const { appointment: a, doctor } = data;
  const tz = state.clinic.config.timeZone;
  return (
    <section class="panel narrow visit">
      <Head>
        <title>Your video visit</title>
        <meta name="robots" content="noindex" />
      </Head>
      <h1>Your video visit with {doctorLabel(doctor)}</h1>
      <JoinCall
        startsAt={a.startsAt}
        opensAt={joinOpensAt(a)}
        closesAt={windowEnd(a)}
        callUrl={`/visit/${params.token}/call`}
        serverNow={Date.now()}
        clinicTime={`${formatDateTime(a.startsAt, tz)} (${tz})`}
      />
      <p class="muted">
        {a.durationMinutes} minutes with{" "}
        {state.clinic.config.clinicName}. Use a phone or computer with a camera
        and microphone, somewhere quiet.
      </p>
      <p>
        <a href={`/visit/${params.token}/invite.ics`}>
          Add to my calendar (.ics)
        </a>
      </p>
    </section>
  );
});
