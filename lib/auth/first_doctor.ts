/**
 * The clinic's first doctor. On first start with an empty store, the doctor
 * named by ADMIN_EMAIL / ADMIN_PASSWORD is created as admin; without them a
 * one-time setup link (valid 24 hours) is made and printed to the console.
 *
 * @module
 */
import { z } from "zod";
import {
  createDoctor,
  type Doctor,
  hasAnyDoctor,
} from "@/lib/store/doctors.ts";
import { auditIn } from "@/lib/store/audit.ts";
import { keys } from "@/lib/store/keys.ts";
import { parseOr400 } from "@/lib/http/input.ts";
import { doctorName } from "./doctor_profile.ts";
import { hashPassword } from "./password.ts";
import { randomToken, TOKEN_PATTERN } from "./tokens.ts";
import { hashToken, newId } from "@/lib/store/ids.ts";

const SETUP_LINK_MS = 24 * 3_600_000;

export type FirstStart =
  | { kind: "ready" }
  | { kind: "admin-created"; email: string }
  | { kind: "setup-link"; token: string };

interface SetupLink {
  tokenHash: string;
  expiresAt: number;
}

/** Makes sure a first doctor exists or can be created. */
export async function prepareFirstDoctor(
  kv: Deno.Kv,
  admin?: { email: string; password: string; name: string },
): Promise<FirstStart> {
  if (await hasAnyDoctor(kv)) return { kind: "ready" };
  if (admin) {
    // ADMIN_NAME is checked with the settings; this holds for any caller.
    const name = doctorName.safeParse(admin.name);
    if (!name.success) {
      throw new Error(
        `The first doctor's name (ADMIN_NAME) is refused: ${
          name.error.issues[0].message
        }`,
      );
    }
    const created = await createDoctor(kv, {
      email: admin.email,
      name: name.data,
      passwordHash: await hashPassword(admin.password),
      isAdmin: true,
    }, { kind: "system" });
    return created
      ? { kind: "admin-created", email: admin.email }
      : { kind: "ready" };
  }
  const token = randomToken();
  const link: SetupLink = {
    tokenHash: await hashToken(token),
    expiresAt: Date.now() + SETUP_LINK_MS,
  };
  // Several isolates may start at once: only one of them makes the link.
  const current = await kv.get<SetupLink>(keys.setupLink());
  if (current.value && current.value.expiresAt > Date.now()) {
    return { kind: "ready" };
  }
  const made = await kv.atomic().check(current)
    .set(keys.setupLink(), link, { expireIn: SETUP_LINK_MS }).commit();
  return made.ok ? { kind: "setup-link", token } : { kind: "ready" };
}

/** Whether the setup link is the live one and no doctor exists yet. */
export async function setupLinkIsValid(kv: Deno.Kv, token: string) {
  if (!TOKEN_PATTERN.test(token)) return false;
  const link = await kv.get<SetupLink>(keys.setupLink());
  return link.value !== null && link.value.expiresAt > Date.now() &&
    link.value.tokenHash === await hashToken(token) &&
    !(await hasAnyDoctor(kv));
}

/** Creates the admin through the setup link, which is then used up. */
export async function completeSetup(
  kv: Deno.Kv,
  token: string,
  input: { name: string; email: string; password: string },
  address?: string,
): Promise<Doctor | null> {
  if (!(await setupLinkIsValid(kv, token))) return null;
  const { name } = parseOr400(z.object({ name: doctorName }), input);
  const link = await kv.get<SetupLink>(keys.setupLink());
  const doctor: Doctor = {
    id: newId(),
    email: input.email.toLowerCase(),
    name,
    passwordHash: await hashPassword(input.password),
    isAdmin: true,
    createdAt: Date.now(),
    active: true,
    sessionsNotBefore: 0,
  };
  const op = kv.atomic()
    .check(link)
    .check({ key: keys.doctorByEmail(doctor.email), versionstamp: null })
    .set(keys.doctor(doctor.id), doctor)
    .set(keys.doctorByEmail(doctor.email), doctor.id)
    .delete(keys.setupLink());
  auditIn(op, {
    actor: { kind: "system" },
    action: "doctor.created",
    subject: doctor.id,
    detail: "through the setup link",
    at: doctor.createdAt,
    address,
  });
  return (await op.commit()).ok ? doctor : null;
}
