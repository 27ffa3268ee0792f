/**
 * This deployment's own settings, kept in a file beside the code. Every
 * setting in the README's table is normally an environment variable; one
 * written here becomes this deployment's default, and the environment still
 * wins. Names and values are checked at start like the environment's
 * (`lib/config.ts`), so a typo in a name fails `deno check`. Keep secrets
 * (`ADMIN_PASSWORD`, `TURN_SECRET`) in the environment, not here.
 *
 * @module
 */
import type { Settings } from "./lib/config.ts";

export default {
  // CLINIC_NAME: "Riverside Clinic",
  // CLINIC_TIME_ZONE: "Europe/Paris",
  // CLINIC_COLOUR: "#0b6e4f",
} satisfies Settings;
