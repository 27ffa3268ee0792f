/**
 * The patient's personal page: their upcoming visits, past visits and the
 * notes their doctor shared with them.
 *
 * @module
 */
import { catalogue } from "../translate.ts";

export const personalPage = catalogue({
  en: {
    title: "Your visits",
    hello: "Hello {name}",
    upcoming: "Your upcoming visits",
    noUpcoming: "You have no upcoming visits.",
    upcomingVisit: "{minutes} min with {doctor}",
    past: "Your past visits",
    noPast: "No past visits yet.",
    pastVisit: "with {doctor}, {duration}",
    duration: "{m} min {s} s",
    shortDuration: "{s} s",
    yourDoctor: "Your doctor",
    notes: "Your doctor's notes:",
    howToJoin: "To join a visit, open the visit link {clinic} sent you for it.",
  },
  es: {
    title: "Sus consultas",
    hello: "Hola, {name}",
    upcoming: "Sus próximas consultas",
    noUpcoming: "No tiene consultas próximas.",
    upcomingVisit: "{minutes} min con {doctor}",
    past: "Sus consultas anteriores",
    noPast: "Todavía no hay consultas anteriores.",
    pastVisit: "con {doctor}, {duration}",
    duration: "{m} min {s} s",
    shortDuration: "{s} s",
    yourDoctor: "Su médico",
    notes: "Notas de su médico:",
    howToJoin:
      "Para entrar en una consulta, abra el enlace que {clinic} le envió para ella.",
  },
});
