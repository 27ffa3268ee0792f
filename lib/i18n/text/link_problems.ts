/**
 * What a patient reads when their link does not open anything: each reason
 * has its own plain page (the clinic's contact follows, from `common`).
 * Nothing here names a visit, so a guessed link learns nothing.
 *
 * @module
 */
import { catalogue } from "../translate.ts";

export const linkProblems = catalogue({
  en: {
    malformedTitle: "This link is incomplete",
    malformed:
      "This is not a whole visit link. Check that you copied or opened the entire link from the message {clinic} sent you.",
    unknownTitle: "This link does not open a visit",
    unknown:
      "We cannot find a visit for this link. Check that you opened the entire link from the message {clinic} sent you, or ask the clinic for a new one.",
    cancelledTitle: "This visit was cancelled",
    cancelled:
      "{clinic} cancelled this visit, so its link no longer works. To book another visit, contact the clinic.",
    endedTitle: "This visit has ended",
    ended:
      "Thank you. The call for this visit is over. If you need to speak with your doctor again, contact {clinic}.",
    expiredTitle: "This link has expired",
    expired:
      "The time for this visit has passed, so its link no longer works. To book another visit, contact {clinic}.",
    replacedTitle: "This link was replaced",
    replaced:
      "{clinic} sent you a newer link for this visit, and this one no longer works. Please open the link in the most recent message you received.",
    personalUnknownTitle: "This link does not open a page",
    personalUnknown:
      "We cannot find a page for this link. Check that you opened the entire link from the message {clinic} sent you, or ask the clinic for a new one.",
    personalExpiredTitle: "This link has expired",
    personalExpired:
      "Links to your personal page work for a limited time. Ask {clinic} for a new one.",
    personalReplacedTitle: "This link was replaced",
    personalReplaced:
      "{clinic} gave you a newer link to your personal page, and this one no longer works. Please use the newest one, or ask the clinic for it.",
    notAccepted: "That did not work",
  },
  es: {
    malformedTitle: "Este enlace está incompleto",
    malformed:
      "Esto no es un enlace de consulta completo. Compruebe que copió o abrió el enlace entero del mensaje que le envió {clinic}.",
    unknownTitle: "Este enlace no abre ninguna consulta",
    unknown:
      "No encontramos ninguna consulta para este enlace. Compruebe que abrió el enlace entero del mensaje que le envió {clinic}, o pida uno nuevo a la clínica.",
    cancelledTitle: "Esta consulta fue cancelada",
    cancelled:
      "{clinic} canceló esta consulta, así que su enlace ya no funciona. Para reservar otra consulta, contacte con la clínica.",
    endedTitle: "Esta consulta ha terminado",
    ended:
      "Gracias. La llamada de esta consulta ha terminado. Si necesita hablar de nuevo con su médico, contacte con {clinic}.",
    expiredTitle: "Este enlace ha caducado",
    expired:
      "La hora de esta consulta ya pasó, así que su enlace ya no funciona. Para reservar otra consulta, contacte con {clinic}.",
    replacedTitle: "Este enlace fue sustituido",
    replaced:
      "{clinic} le envió un enlace más reciente para esta consulta, y este ya no funciona. Abra el enlace del mensaje más reciente que haya recibido.",
    personalUnknownTitle: "Este enlace no abre ninguna página",
    personalUnknown:
      "No encontramos ninguna página para este enlace. Compruebe que abrió el enlace entero del mensaje que le envió {clinic}, o pida uno nuevo a la clínica.",
    personalExpiredTitle: "Este enlace ha caducado",
    personalExpired:
      "Los enlaces a su página personal funcionan durante un tiempo limitado. Pida uno nuevo a {clinic}.",
    personalReplacedTitle: "Este enlace fue sustituido",
    personalReplaced:
      "{clinic} le dio un enlace más reciente a su página personal, y este ya no funciona. Use el más reciente, o pídalo a la clínica.",
    notAccepted: "No se pudo hacer",
  },
});
