import { doctorApiOnly } from "@/lib/auth/guards.ts";

/** The audit trail: a signed-in doctor, and (checked by the route) an admin. */
export const handler = doctorApiOnly;
