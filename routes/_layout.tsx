import { define } from "@/lib/define.ts";
import { common } from "@/lib/i18n/text/common.ts";
import { translator } from "@/lib/i18n/translate.ts";

export default define.layout(({ Component, state }) => (
  <>
    <a class="skip-link" href="#main">
      {state.patientPage
        ? translator(common, state.patientPage.language)("skipToContent")
        : "Skip to content"}
    </a>
    <header class="site-header">
      {state.patientPage || state.inCall
        // A patient's pages lead nowhere near the doctors' sign-in; a call
        // leads nowhere at all but through its own buttons.
        ? <span class="brand">{state.clinic.config.clinicName}</span>
        : (
          <a class="brand" href={state.doctor ? "/dashboard" : "/"}>
            {state.clinic.config.clinicName}
          </a>
        )}
      {state.doctor && !state.patientPage && !state.inCall && (
        <nav aria-label="Main">
          <a href="/dashboard">Visits</a>
          <a href="/history">History</a>
          {state.doctor.isAdmin && <a href="/doctors">Doctors</a>}
          {state.doctor.isAdmin && <a href="/audit">Audit</a>}
          <a href="/profile">Profile</a>
          <form method="post" action="/logout" class="inline">
            <button type="submit" class="link-button">
              Sign out ({state.doctor.name})
            </button>
          </form>
        </nav>
      )}
    </header>
    <main id="main">
      <Component />
    </main>
  </>
));
