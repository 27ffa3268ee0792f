/**
 * The patient's check-in as the doctor reads it on the visit's page: when,
 * the name the patient confirmed (beside the record's, when it differs),
 * and which consent text they accepted in which language.
 *
 * @module
 */
import type { CheckIn } from "@/lib/clinic/check_in.ts";
import { formatDateTime } from "@/lib/clinic/time.ts";
import { LANGUAGE_NAMES } from "@/lib/i18n/languages.ts";

export function CheckInFacts(
  { checkIn, recordName, timeZone }: {
    checkIn: CheckIn | null;
    recordName: string;
    timeZone: string;
  },
) {
  return (
    <>
      <dt>Check-in</dt>
      <dd class="check-in">
        {checkIn
          ? (
            <>
              Checked in {formatDateTime(checkIn.at, timeZone)} as{" "}
              <strong>{checkIn.name}</strong>, consent accepted{" "}
              <span class="muted">
                ({LANGUAGE_NAMES[checkIn.language]} text, version{" "}
                <code>{checkIn.consentVersion.slice(0, 12)}</code>)
              </span>
              {checkIn.name !== recordName && (
                <span class="muted">
                  {` · the visit's record says ${recordName}`}
                </span>
              )}
            </>
          )
          : (
            <span class="muted">
              Not yet: the patient checks in on joining.
            </span>
          )}
      </dd>
    </>
  );
}
