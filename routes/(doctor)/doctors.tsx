import { z } from "zod";
import { hashPassword } from "../../lib/auth/password.ts";
import { newDoctorFields } from "../../lib/clinic/doctor_input.ts";
import { requireAdmin } from "../../lib/auth/guards.ts";
import { define } from "../../lib/define.ts";
import { type FieldErrors, fieldErrors } from "../../lib/http/errors.ts";
import { readForm } from "../../lib/http/input.ts";
import {
  createDoctor,
  type Doctor,
  listDoctors,
} from "../../lib/store/doctors.ts";
import { Field, FormErrorSummary, Notice } from "../../lib/ui/form.tsx";
import { Head } from "../../lib/web/render.tsx";

const newDoctorForm = z.object({
  ...newDoctorFields,
  isAdmin: z.literal("on").optional(),
});

interface DoctorsData {
  doctors: Doctor[];
  added?: boolean;
  values?: Record<string, string>;
  errors?: FieldErrors;
}

export const handler = define.handlers({
  async GET(ctx) {
    requireAdmin(ctx.state.doctor, "manage doctors");
    return ctx.render({
      doctors: await listDoctors(ctx.state.clinic.kv),
      added: ctx.url.searchParams.has("added"),
    });
  },
  async POST(ctx) {
    requireAdmin(ctx.state.doctor, "manage doctors");
    const kv = ctx.state.clinic.kv;
    const form = await readForm(ctx.req);
    const parsed = newDoctorForm.safeParse(form);
    let errors: FieldErrors;
    if (parsed.success) {
      const created = await createDoctor(kv, {
        name: parsed.data.name,
        email: parsed.data.email,
        passwordHash: await hashPassword(parsed.data.password),
        isAdmin: parsed.data.isAdmin === "on",
      });
      if (created) return ctx.redirect("/doctors?added");
      errors = { email: "A doctor with this email already exists" };
    } else {
      errors = fieldErrors(parsed.error);
    }
    return ctx.render(
      { doctors: await listDoctors(kv), values: form, errors },
      { status: 400 },
    );
  },
});

export default define.page<DoctorsData>(({ data }) => (
  <div>
    <Head>
      <title>Doctors</title>
    </Head>
    <section class="panel">
      <h1>Doctors</h1>
      {data.added && (
        <Notice kind="success">
          The doctor was added and can sign in now.
        </Notice>
      )}
      <table class="visits">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Email</th>
            <th scope="col">Role</th>
          </tr>
        </thead>
        <tbody>
          {data.doctors.map((d) => (
            <tr key={d.id}>
              <td>{d.name}</td>
              <td>{d.email}</td>
              <td>{d.isAdmin ? "Administrator" : "Doctor"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
    <section class="panel" aria-labelledby="add-doctor">
      <h2 id="add-doctor">Add a doctor</h2>
      <FormErrorSummary errors={data.errors} />
      <form method="post" novalidate class="grid-form">
        <Field
          name="name"
          label="Name"
          value={data.values?.name}
          errors={data.errors}
          required
        />
        <Field
          name="email"
          label="Email"
          type="email"
          value={data.values?.email}
          errors={data.errors}
          required
        />
        <Field
          name="password"
          label="First password"
          type="password"
          hint="At least 10 characters; give it to the doctor in person."
          errors={data.errors}
          autocomplete="new-password"
          required
        />
        <div class="field checkbox">
          <input id="field-isAdmin" type="checkbox" name="isAdmin" />
          <label for="field-isAdmin">Administrator (can add doctors)</label>
        </div>
        <button type="submit" class="button">Add doctor</button>
      </form>
    </section>
  </div>
));
