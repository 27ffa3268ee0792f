import { z } from "zod";
import { completeSetup, setupLinkIsValid } from "@/lib/auth/first_doctor.ts";
import { define } from "@/lib/define.ts";
import { clientAddress } from "@/lib/http/client_address.ts";
import { type FieldErrors, notFound } from "@/lib/http/errors.ts";
import { submitForm } from "@/lib/http/form.ts";
import { readForm } from "@/lib/http/input.ts";
import { FormErrorSummary } from "@/lib/ui/form.tsx";
import { NewAccountFields } from "@/lib/ui/account_fields.tsx";
import { Head } from "@/lib/web/render.tsx";
import { newDoctorFields } from "@/lib/clinic/doctor_input.ts";
import { page } from "@/lib/web/page.ts";

const setupForm = z.object(newDoctorFields);

interface SetupData {
  values?: Record<string, string>;
  errors?: FieldErrors;
}

export const handler = define.handlers({
  async GET(ctx) {
    if (!(await setupLinkIsValid(ctx.state.clinic.kv, ctx.params.token))) {
      throw notFound("This setup link");
    }
    return page<SetupData>({});
  },
  async POST(ctx) {
    const { kv } = ctx.state.clinic;
    if (!(await setupLinkIsValid(kv, ctx.params.token))) {
      throw notFound("This setup link");
    }
    const form = await readForm(ctx.req);
    return submitForm(
      form,
      setupForm,
      async (input) => {
        const doctor = await completeSetup(
          kv,
          ctx.params.token,
          input,
          clientAddress(ctx.hono),
        );
        if (!doctor) throw notFound("This setup link");
        return ctx.redirect("/login");
      },
      (errors, status) => page<SetupData>({ values: form, errors }, { status }),
    );
  },
});

export default define.page<typeof handler>(({ data, params }) => (
  <section class="panel narrow">
    <Head>
      <title>Set up the clinic</title>
    </Head>
    <h1>Create the first doctor account</h1>
    <p>
      This account will be the clinic's administrator and can add other doctors.
    </p>
    <FormErrorSummary errors={data.errors} />
    <form method="post" action={`/setup/${params.token}`} novalidate>
      <NewAccountFields
        values={data.values}
        errors={data.errors}
        own
      />
      <button type="submit" class="button">Create account</button>
    </form>
  </section>
));
