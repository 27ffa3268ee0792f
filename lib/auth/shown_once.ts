/**
 * Links that the store keeps only as hashes (visit links, patient links) can
 * be shown only when they are made. After a form creates one, it is kept for
 * a few minutes for that sign-in session alone, shown once, then deleted, so
 * it never travels in a URL.
 *
 * @module
 */
import { keys } from "@/lib/store/keys.ts";

export interface NewLinks {
  appointmentId: string;
  visitUrl: string;
  patientDashboardUrl?: string;
}

const KEEP_MS = 10 * 60_000;

export async function keepToShowOnce(
  kv: Deno.Kv,
  loginSessionHash: string,
  links: NewLinks,
) {
  await kv.set(keys.flash(loginSessionHash), links, { expireIn: KEEP_MS });
}

/** The links kept for this session and appointment, removed as read. */
export async function takeShownOnce(
  kv: Deno.Kv,
  loginSessionHash: string,
  appointmentId: string,
): Promise<NewLinks | null> {
  const entry = await kv.get<NewLinks>(keys.flash(loginSessionHash));
  if (entry.value === null || entry.value.appointmentId !== appointmentId) {
    return null;
  }
  await kv.atomic().check(entry).delete(keys.flash(loginSessionHash)).commit();
  return entry.value;
}
