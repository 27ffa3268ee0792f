/**
 * Pieces every page a patient opens shares: how to reach the clinic, the
 * switch to another language, and the plain page that says why a link
 * opens nothing. None of them links to the doctors' pages.
 *
 * @module
 */
import type { ClinicConfig } from "@/lib/config.ts";
import type { LinkKind, LinkProblem } from "@/lib/clinic/link_problem.ts";
import {
  type Language,
  LANGUAGE_NAMES,
  LANGUAGES,
} from "@/lib/i18n/languages.ts";
import { common } from "@/lib/i18n/text/common.ts";
import { linkProblems } from "@/lib/i18n/text/link_problems.ts";
import { translator } from "@/lib/i18n/translate.ts";

/** The clinic's phone and email, as the clinic configured them. */
export function ClinicContact(
  { config, language }: { config: ClinicConfig; language: Language },
) {
  const t = translator(common, language);
  const clinic = config.clinicName;
  if (!config.clinicPhone && !config.clinicEmail) {
    return <p class="clinic-contact">{t("noContact", { clinic })}</p>;
  }
  return (
    <div class="clinic-contact">
      <p>{t("contactIntro", { clinic })}</p>
      <ul>
        {config.clinicPhone && (
          <li>
            <a href={`tel:${config.clinicPhone.replace(/[^+0-9]/g, "")}`}>
              {t("phone", { phone: config.clinicPhone })}
            </a>
          </li>
        )}
        {config.clinicEmail && (
          <li>
            <a href={`mailto:${config.clinicEmail}`}>
              {t("email", { email: config.clinicEmail })}
            </a>
          </li>
        )}
      </ul>
    </div>
  );
}

/**
 * "Leer esta página en Español": a form posting the chosen language to the
 * page's own address, which records it. Each offer is written in the
 * language it offers, so its reader can find it.
 */
export function LanguageSwitch(
  { language, action }: { language: Language; action: string },
) {
  return (
    <div class="language-switch">
      {LANGUAGES.filter((l) => l !== language).map((other) => (
        <form method="post" action={action} class="inline" key={other}>
          <input type="hidden" name="language" value={other} />
          <button type="submit" class="link-button" lang={other}>
            {translator(common, other)("switchTo", {
              language: LANGUAGE_NAMES[other],
            })}
          </button>
        </form>
      ))}
    </div>
  );
}

const TITLES = {
  visit: {
    malformed: ["malformedTitle", "malformed"],
    unknown: ["unknownTitle", "unknown"],
    cancelled: ["cancelledTitle", "cancelled"],
    ended: ["endedTitle", "ended"],
    expired: ["expiredTitle", "expired"],
    replaced: ["replacedTitle", "replaced"],
  },
  personal: {
    malformed: ["personalUnknownTitle", "personalUnknown"],
    unknown: ["personalUnknownTitle", "personalUnknown"],
    cancelled: ["personalUnknownTitle", "personalUnknown"],
    ended: ["personalUnknownTitle", "personalUnknown"],
    expired: ["personalExpiredTitle", "personalExpired"],
    replaced: ["personalReplacedTitle", "personalReplaced"],
  },
} as const satisfies Record<
  LinkKind,
  Record<LinkProblem, readonly [string, string]>
>;

/** Why a link opens nothing, and how to reach the clinic; nothing else. */
export function LinkProblemPage(
  { problem, kind, language, config }: {
    problem: LinkProblem;
    kind: LinkKind;
    language: Language;
    config: ClinicConfig;
  },
) {
  const t = translator(linkProblems, language);
  const [title, text] = TITLES[kind][problem];
  return (
    <section class="panel narrow link-problem" data-problem={problem}>
      <h1>{t(title)}</h1>
      <p>{t(text, { clinic: config.clinicName })}</p>
      <ClinicContact config={config} language={language} />
    </section>
  );
}

/** The page's title for a link problem, for `<title>`. */
export function linkProblemTitle(
  problem: LinkProblem,
  kind: LinkKind,
  language: Language,
): string {
  return translator(linkProblems, language)(TITLES[kind][problem][0]);
}
