/**
 * Where a visit stands, as the patient reads it on their pages: one label
 * per lifecycle state (`lib/clinic/visit_lifecycle.ts`).
 *
 * @module
 */
import { catalogue } from "../translate.ts";

export const visitStates = catalogue({
  en: {
    scheduled: "Scheduled",
    open: "Open: you can join now",
    waiting: "You are in the waiting room",
    inCall: "In progress",
    completed: "Completed",
    missed: "Not held: the clinic will contact you",
    noShow: "Missed",
    cancelled: "Cancelled",
    status: "Status: {state}",
  },
  es: {
    scheduled: "Programada",
    open: "Abierta: ya puede entrar",
    waiting: "Está en la sala de espera",
    inCall: "En curso",
    completed: "Realizada",
    missed: "No se realizó: la clínica se pondrá en contacto con usted",
    noShow: "No asistió",
    cancelled: "Cancelada",
    status: "Estado: {state}",
  },
});

export type VisitStateKey = keyof typeof visitStates.en;
