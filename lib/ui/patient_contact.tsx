/**
 * The patient's email and phone as links, in a visit's facts list: one
 * click writes to them or calls them when the video fails.
 *
 * @module
 */
import {
  mailtoHref,
  type PatientContact,
  telHref,
} from "@/lib/clinic/patient_contact.ts";

export function ContactFacts({ contact }: { contact: PatientContact }) {
  return (
    <>
      <dt>Patient email</dt>
      <dd data-contact="email">
        {contact.email
          ? <a href={mailtoHref(contact.email)}>{contact.email}</a>
          : "Not given"}
      </dd>
      <dt>Patient phone</dt>
      <dd data-contact="phone">
        {contact.phone
          ? <a href={telHref(contact.phone)}>{contact.phone}</a>
          : "Not given"}
      </dd>
    </>
  );
}
