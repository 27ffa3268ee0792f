import { doctorLabel } from "@/lib/clinic/doctor_label.ts";
import {
  readLanguageChoice,
  setVisitLanguage,
} from "@/lib/clinic/patient_language.ts";
import { joinOpensAt, windowEnd } from "@/lib/clinic/visit_window.ts";
import { define } from "@/lib/define.ts";
import { readForm } from "@/lib/http/input.ts";
import { formatWhen } from "@/lib/i18n/dates.ts";
import { deviceTest } from "@/lib/i18n/text/device_page.ts";
import { visit as visitText } from "@/lib/i18n/text/visit.ts";
import { translator } from "@/lib/i18n/translate.ts";
import { openVisitPage } from "@/lib/sessions/visit_pages.ts";
import { readVisitState } from "@/lib/sessions/visit_state.ts";
import { PatientStatusBadge } from "@/lib/ui/visit_status.tsx";
import { ClinicContact, LanguageSwitch } from "@/lib/ui/patient_page.tsx";
import { Head } from "@/lib/web/render.tsx";
import JoinCall from "@/islands/JoinCall.tsx";
import { page } from "@/lib/web/page.ts";

export const handler = define.handlers({
  async GET(ctx) {
    const visit = await openVisitPage(ctx.state.clinic, ctx.params.token);
    ctx.state.patientPage = { language: visit.language };
    // The link opens only a visit that is not over: scheduled, waiting or
    // in its call (another tab, or a dropped connection to come back to).
    const lifecycle = await readVisitState(ctx.state.clinic, visit.appointment);
    return page({ ...visit, lifecycle }, {
      headers: { "Cache-Control": "no-store" },
    });
  },
  /** The language switch: the link authorises this one change. */
  async POST(ctx) {
    const { clinic } = ctx.state;
    const visit = await openVisitPage(clinic, ctx.params.token);
    ctx.state.patientPage = { language: visit.language };
    const language = readLanguageChoice(await readForm(ctx.req));
    await setVisitLanguage(clinic, visit, language);
    return ctx.redirect(`/visit/${ctx.params.token}`);
  },
});

export default define.page<typeof handler>(({ data, params, state }) => {
  const { appointment: a, doctor, language, timeZone, lifecycle } = data;
  const config = state.clinic.config;
  const t = translator(visitText, language);
  const all = visitText[language];
  return (
    <section class="panel narrow visit">
      <Head>
        <title>{t("title")}</title>
        <meta name="robots" content="noindex" />
      </Head>
      <LanguageSwitch language={language} action={`/visit/${params.token}`} />
      <h1>{t("heading", { doctor: doctorLabel(doctor) })}</h1>
      {
        // Before the call the countdown below says it all, and live.
        lifecycle.state !== "scheduled" && (
          <p>
            <PatientStatusBadge lifecycle={lifecycle} language={language} />
          </p>
        )
      }
      <JoinCall
        startsAt={a.startsAt}
        opensAt={joinOpensAt(a)}
        closesAt={windowEnd(a)}
        callUrl={`/visit/${params.token}/call`}
        serverNow={Date.now()}
        when={formatWhen(a.startsAt, timeZone, language)}
        timeZone={timeZone}
        language={language}
        text={{
          joinCall: all.joinCall,
          opensIn: all.opensIn,
          hours: all.hours,
          minutes: all.minutes,
          seconds: all.seconds,
          opensSoon: all.opensSoon,
          openNow: all.openNow,
          over: all.over,
          open: all.open,
          onThisDevice: all.onThisDevice,
        }}
      />
      <p class="muted">
        {t("about", {
          minutes: a.durationMinutes,
          clinic: config.clinicName,
        })}
      </p>
      <p>
        <a href={`/visit/${params.token}/test`}>
          {deviceTest[language].link}
        </a>
      </p>
      <p>
        <a href={`/visit/${params.token}/invite.ics`}>{t("calendar")}</a>
      </p>
      <ClinicContact config={config} language={language} />
    </section>
  );
});
