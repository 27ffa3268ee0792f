/**
 * What a new doctor account needs, for the setup link and the admin's form.
 *
 * @module
 */
import { z } from "zod";
import { doctorName } from "@/lib/auth/doctor_profile.ts";

export const newDoctorFields = {
  name: doctorName,
  email: z.email("Enter a valid email address").max(200),
  password: z.string().min(10, "Use at least 10 characters").max(
    200,
    "Use at most 200 characters",
  ),
};
