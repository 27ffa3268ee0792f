import { doctorApiOnly } from "@/lib/auth/guards.ts";

/** The doctors' API (appointments, sessions, audit, waiting room) answers only a signed-in doctor. */
export const handler = doctorApiOnly;
