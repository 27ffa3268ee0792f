/**
 * Who may ask: the JSON API answers only a signed-in doctor (401 otherwise,
 * never a redirect), and some pages only the clinic's administrators.
 *
 * @module
 */
import { define } from "@/lib/define.ts";
import { HttpError, signInFirst } from "@/lib/http/errors.ts";
import type { Doctor } from "@/lib/store/doctors.ts";

/** Middleware for an API folder: a signed-in doctor, answers never cached. */
export const doctorApiOnly = define.middleware(async (ctx) => {
  if (!ctx.state.doctor) {
    throw signInFirst();
  }
  const response = await ctx.next();
  response.headers.set("Cache-Control", "no-store");
  return response;
});

export function requireAdmin(doctor: Doctor | null, what: string) {
  if (!doctor?.isAdmin) {
    throw new HttpError(
      403,
      "forbidden",
      `Only the clinic's administrators can ${what}.`,
    );
  }
}
