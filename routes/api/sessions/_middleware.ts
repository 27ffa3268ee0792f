import { doctorApiOnly } from "@/lib/auth/guards.ts";

/** The sessions API answers only a signed-in doctor, about their own visits. */
export const handler = doctorApiOnly;
