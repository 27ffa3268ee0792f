import { z } from "zod";
import { changeProfile, profileSchema } from "@/lib/auth/doctor_profile.ts";
import { doctorLabel } from "@/lib/clinic/doctor_label.ts";
import { defineDoctor } from "@/lib/define.ts";
import { clientAddress } from "@/lib/http/client_address.ts";
import { type FieldErrors, notFound } from "@/lib/http/errors.ts";
import { submitForm } from "@/lib/http/form.ts";
import { readForm } from "@/lib/http/input.ts";
import type { Versioned } from "@/lib/store/appointments.ts";
import { type Doctor, getDoctorEntry } from "@/lib/store/doctors.ts";
import { Field, FormErrorSummary, Notice } from "@/lib/ui/form.tsx";
import { Head } from "@/lib/web/render.tsx";
import { page } from "@/lib/web/page.ts";

const profileForm = profileSchema.extend({
  version: z.string().min(1).max(64),
});

interface ProfileData {
  doctor: Versioned<Doctor>;
  saved?: boolean;
  values?: Record<string, string>;
  errors?: FieldErrors;
}

async function current(kv: Deno.Kv, id: string) {
  const doctor = await getDoctorEntry(kv, id);
  if (!doctor) throw notFound("That doctor");
  return doctor;
}

/** The signed-in doctor's own name and title, as patients see them. */
export const handler = defineDoctor.handlers({
  async GET(ctx) {
    const { clinic, doctor } = ctx.state;
    return page<ProfileData>({
      doctor: await current(clinic.kv, doctor.id),
      saved: ctx.url.searchParams.get("done") === "saved",
    });
  },
  async POST(ctx) {
    const { clinic, doctor } = ctx.state;
    const form = await readForm(ctx.req);
    return submitForm(
      form,
      profileForm,
      async ({ version, ...profile }) => {
        await changeProfile(clinic.kv, doctor, doctor.id, profile, {
          version,
          address: clientAddress(ctx.hono),
        });
        return ctx.redirect("/profile?done=saved");
      },
      async (errors, status) =>
        page<ProfileData>({
          // The version saved now: saving again is a deliberate overwrite.
          doctor: await current(clinic.kv, doctor.id),
          values: form,
          errors,
        }, { status }),
    );
  },
});

export default defineDoctor.page<typeof handler>(({ data }) => {
  const { value: d, version } = data.doctor;
  return (
    <section class="panel narrow">
      <Head>
        <title>Your profile</title>
      </Head>
      <h1>Your profile</h1>
      {data.saved && <Notice kind="success">Your profile was saved.</Notice>}
      <p>
        Patients see you as <strong data-patients-see>{doctorLabel(d)}</strong>
        {" "}
        on their visit page, their personal page and in the call.
      </p>
      {!d.title && (
        <p class="muted">
          Add a title, such as "Family physician", to show it after your name.
        </p>
      )}
      <FormErrorSummary errors={data.errors} />
      <form method="post" novalidate>
        <input type="hidden" name="version" value={version} />
        <Field
          name="name"
          label="Display name"
          hint="As patients should read it, such as Dr Ada Lovelace. Up to 100 characters."
          value={data.values?.name ?? d.name}
          errors={data.errors}
          autocomplete="name"
          required
        />
        <Field
          name="title"
          label="Title (optional)"
          hint="Shown after your name. Up to 100 characters."
          value={data.values?.title ?? d.title ?? ""}
          errors={data.errors}
        />
        <button type="submit" class="button">Save profile</button>
      </form>
    </section>
  );
});
