import { doctorApiOnly } from "@/lib/auth/guards.ts";

/** The appointments API answers only a signed-in doctor. */
export const handler = doctorApiOnly;
