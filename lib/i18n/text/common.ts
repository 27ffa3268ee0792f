/**
 * Text shared by every patient-facing page: the language switch and how to
 * reach the clinic.
 *
 * @module
 */
import { catalogue } from "../translate.ts";

export const common = catalogue({
  en: {
    language: "Language",
    skipToContent: "Skip to content",
    switchTo: "Read this page in {language}",
    contactIntro: "Questions? Contact {clinic}:",
    phone: "Phone: {phone}",
    email: "Email: {email}",
    noContact: "Please contact {clinic} the way you booked this visit.",
  },
  es: {
    language: "Idioma",
    skipToContent: "Ir al contenido",
    switchTo: "Leer esta página en {language}",
    contactIntro: "¿Preguntas? Contacte con {clinic}:",
    phone: "Teléfono: {phone}",
    email: "Correo electrónico: {email}",
    noContact:
      "Contacte con {clinic} por el mismo medio con el que reservó esta consulta.",
  },
});
