/**
 * Every catalogue of patient-facing text, by area, so that one test can
 * check them all (`lib/i18n/catalogues_test.ts`).
 *
 * @module
 */
import { call } from "./call.ts";
import { checkIn } from "./check_in.ts";
import { common } from "./common.ts";
import { deviceTest } from "./device_page.ts";
import { linkProblems } from "./link_problems.ts";
import { mail } from "./mail.ts";
import { personalPage } from "./personal_page.ts";
import { visit } from "./visit.ts";
import { visitStates } from "./visit_states.ts";

export const catalogues = {
  common,
  call,
  checkIn,
  deviceTest,
  linkProblems,
  mail,
  personalPage,
  visit,
  visitStates,
};
