import { z } from "zod";
import { newDoctorFields } from "@/lib/clinic/doctor_input.ts";
import { requireAdmin } from "@/lib/auth/guards.ts";
import { defineDoctor } from "@/lib/define.ts";
import { addDoctor, administerDoctor } from "@/lib/auth/doctor_admin.ts";
import { changeProfile, profileSchema } from "@/lib/auth/doctor_profile.ts";
import { doctorLabel } from "@/lib/clinic/doctor_label.ts";
import type { Versioned } from "@/lib/store/appointments.ts";
import { ID_PATTERN } from "@/lib/store/ids.ts";
import { type FieldErrors, invalidInput } from "@/lib/http/errors.ts";
import { submitForm } from "@/lib/http/form.ts";
import { clientAddress } from "@/lib/http/client_address.ts";
import { readForm } from "@/lib/http/input.ts";
import { type Doctor, listDoctorEntries } from "@/lib/store/doctors.ts";
import { FormErrorSummary, Notice } from "@/lib/ui/form.tsx";
import { NewAccountFields } from "@/lib/ui/account_fields.tsx";
import { Head } from "@/lib/web/render.tsx";
import { page } from "@/lib/web/page.ts";
import { ColumnHeads } from "@/lib/ui/column_heads.tsx";

const newDoctorForm = z.object({
  ...newDoctorFields,
  isAdmin: z.literal("on").optional(),
});

/** The administrator's actions on another doctor's account. */
const accountForm = z.discriminatedUnion("action", [
  z.object({
    action: z.enum(["deactivate", "reactivate", "end-sessions"]),
    doctorId: z.string().regex(ID_PATTERN, "Choose a doctor"),
  }),
  z.object({
    action: z.literal("reset-password"),
    doctorId: z.string().regex(ID_PATTERN, "Choose a doctor"),
    password: newDoctorFields.password,
  }),
]);

/** The administrator sets another doctor's name and title. */
const profileForm = profileSchema.extend({
  doctorId: z.string().regex(ID_PATTERN, "Choose a doctor"),
  version: z.string().min(1).max(64),
});

const DONE: Record<string, string> = {
  added: "The doctor was added and can sign in now.",
  profile: "The doctor's name and title were saved.",
  deactivate: "The doctor's account is deactivated; their sign-ins have ended.",
  reactivate: "The doctor's account is active again.",
  "end-sessions": "The doctor's sign-ins have ended.",
  "reset-password":
    "The doctor's password was changed; their sign-ins have ended.",
};

interface DoctorsData {
  doctors: Versioned<Doctor>[];
  selfId: string;
  done?: string;
  values?: Record<string, string>;
  errors?: FieldErrors;
  /** A refused name or title change: shown again in that doctor's row. */
  editing?: {
    doctorId: string;
    values: Record<string, string>;
    errors: FieldErrors;
  };
}

export const handler = defineDoctor.handlers({
  async GET(ctx) {
    requireAdmin(ctx.state.doctor, "manage doctors");
    const done = ctx.url.searchParams.get("done") ?? "";
    return page<DoctorsData>({
      doctors: await listDoctorEntries(ctx.state.clinic.kv),
      selfId: ctx.state.doctor.id,
      done: DONE[done],
    });
  },
  async POST(ctx) {
    requireAdmin(ctx.state.doctor, "manage doctors");
    const kv = ctx.state.clinic.kv;
    const form = await readForm(ctx.req);
    if (form.action === "profile") {
      return submitForm(
        form,
        profileForm,
        async ({ doctorId, version, ...profile }) => {
          await changeProfile(kv, ctx.state.doctor, doctorId, profile, {
            version,
            address: clientAddress(ctx.hono),
          });
          return ctx.redirect("/doctors?done=profile");
        },
        async (errors, status) =>
          page<DoctorsData>({
            doctors: await listDoctorEntries(kv),
            selfId: ctx.state.doctor.id,
            editing: { doctorId: form.doctorId ?? "", values: form, errors },
          }, { status }),
      );
    }
    if (form.action !== undefined) {
      const chosen = accountForm.safeParse(form);
      if (!chosen.success) throw invalidInput(chosen.error);
      const { action, doctorId } = chosen.data;
      await administerDoctor(
        kv,
        ctx.state.doctor,
        doctorId,
        chosen.data.action === "reset-password"
          ? { kind: "reset-password", password: chosen.data.password }
          : { kind: chosen.data.action },
        { address: clientAddress(ctx.hono) },
      );
      return ctx.redirect(`/doctors?done=${action}`);
    }
    return submitForm(
      form,
      newDoctorForm,
      async ({ isAdmin, ...account }) => {
        await addDoctor(
          kv,
          ctx.state.doctor,
          { ...account, isAdmin: isAdmin === "on" },
          clientAddress(ctx.hono),
        );
        return ctx.redirect("/doctors?done=added");
      },
      async (errors, status) =>
        page<DoctorsData>({
          doctors: await listDoctorEntries(kv),
          selfId: ctx.state.doctor.id,
          values: form,
          errors,
        }, { status }),
    );
  },
});

export default defineDoctor.page<typeof handler>(({ data }) => (
  <div>
    <Head>
      <title>Doctors</title>
    </Head>
    <section class="panel">
      <h1>Doctors</h1>
      {data.done && <Notice kind="success">{data.done}</Notice>}
      <table class="visits doctors">
        <ColumnHeads
          names={["Name and title", "Email", "Role", "Account"]}
        />
        <tbody>
          {data.doctors.map(({ value: d, version }) => (
            <tr key={d.id}>
              <td>
                <ProfileEdit
                  doctor={d}
                  version={version}
                  editing={data.editing?.doctorId === d.id
                    ? data.editing
                    : undefined}
                />
              </td>
              <td>{d.email}</td>
              <td>{d.isAdmin ? "Administrator" : "Doctor"}</td>
              <td>
                {d.id === data.selfId ? "You" : <AccountActions doctor={d} />}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
    <section class="panel" aria-labelledby="add-doctor">
      <h2 id="add-doctor">Add a doctor</h2>
      <FormErrorSummary errors={data.errors} />
      <form method="post" novalidate class="grid-form">
        <NewAccountFields
          values={data.values}
          errors={data.errors}
          own={false}
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

/** A doctor's name and title, as the administrator sets them. */
function ProfileEdit(
  { doctor, version, editing }: {
    doctor: Doctor;
    version: string;
    editing?: { values: Record<string, string>; errors: FieldErrors };
  },
) {
  const errors = editing?.errors ?? {};
  const problem = errors.name
    ? `Name: ${errors.name}`
    : errors.title
    ? `Title: ${errors.title}`
    : errors._ ?? errors.version;
  const errorId = `profile-error-${doctor.id}`;
  const field = (name: "name" | "title", label: string, value: string) => (
    <>
      <label for={`${name}-${doctor.id}`} class="visually-hidden">
        {label} of {doctor.email}
      </label>
      <input
        id={`${name}-${doctor.id}`}
        name={name}
        value={editing?.values[name] ?? value}
        placeholder={label}
        aria-invalid={errors[name] ? "true" : undefined}
        aria-describedby={problem ? errorId : undefined}
      />
    </>
  );
  return (
    <form method="post" class="profile-edit" novalidate>
      <input type="hidden" name="action" value="profile" />
      <input type="hidden" name="doctorId" value={doctor.id} />
      <input type="hidden" name="version" value={version} />
      {field("name", "Name", doctor.name)}
      {field("title", "Title", doctor.title ?? "")}
      <button type="submit" class="button secondary">Save</button>
      <small class="muted">Patients see: {doctorLabel(doctor)}</small>
      {problem && <p class="field-error" id={errorId} role="alert">{problem}
      </p>}
    </form>
  );
}

function AccountActions({ doctor }: { doctor: Doctor }) {
  const id = `reset-${doctor.id}`;
  return (
    <div class="account-actions">
      <span class={doctor.active ? "badge" : "badge badge-muted"}>
        {doctor.active ? "Active" : "Deactivated"}
      </span>
      <form method="post" class="inline">
        <input type="hidden" name="doctorId" value={doctor.id} />
        <input
          type="hidden"
          name="action"
          value={doctor.active ? "deactivate" : "reactivate"}
        />
        <button type="submit" class="button secondary">
          {doctor.active ? "Deactivate" : "Reactivate"}
        </button>
      </form>
      <form method="post" class="inline">
        <input type="hidden" name="doctorId" value={doctor.id} />
        <input type="hidden" name="action" value="end-sessions" />
        <button type="submit" class="button secondary">End sign-ins</button>
      </form>
      <form method="post" class="inline">
        <input type="hidden" name="doctorId" value={doctor.id} />
        <input type="hidden" name="action" value="reset-password" />
        <label for={id} class="visually-hidden">
          New password for {doctor.name}
        </label>
        <input
          id={id}
          name="password"
          type="password"
          minLength={10}
          autocomplete="new-password"
          placeholder="New password"
          required
        />
        <button type="submit" class="button secondary">Set password</button>
      </form>
    </div>
  );
}
