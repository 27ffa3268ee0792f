/**
 * Every catalogue of patient-facing text, by area, so that one test can
 * check them all (`lib/i18n/catalogues_test.ts`).
 *
 * @module
 */
import { common } from "./common.ts";
import { mail } from "./mail.ts";

export const catalogues = { common, mail };
