/**
 * Check-in, the first step of the patient's call page: the name to confirm,
 * the clinic's telehealth consent (its default text; a clinic sets its own
 * with `CONSENT_TEXT_EN` and `CONSENT_TEXT_ES`), and what the patient reads
 * while waiting: the clinic's message and the doctor's short notes, whose
 * presets are written here so that each patient reads them in their own
 * language.
 *
 * @module
 */
import { catalogue } from "../translate.ts";

export const checkIn = catalogue({
  en: {
    title: "Check in",
    heading: "Check in for your visit with {doctor}",
    intro:
      "Before you join, confirm your name and read how video visits work at {clinic}.",
    nameLabel: "Your name",
    nameHint:
      "As the clinic wrote it. Correct the spelling if it is wrong; the doctor sees what you confirm.",
    consentHeading: "Consent to a video visit",
    consentLabel: "I have read this and agree to a video visit",
    submit: "Check in and continue",
    errorsTitle: "Please correct the following",
    nameEmpty: "Enter your name",
    nameTooLong: "Use at most 100 characters",
    nameControl: "Use no line breaks, tabs or other control characters",
    consentMissing: "Tick the box to agree, or call the clinic",
    consentChanged:
      "The clinic changed this text while you were reading: please read it again.",
    checkedIn: "Checked in as {name}.",
    defaultConsent:
      "A video visit is a consultation with your doctor over a secure video call instead of in person. The doctor may not be able to examine you as in the clinic, and may ask you to come in if needed.\nThe call goes directly between your device and the doctor's and is not recorded. The clinic keeps a record of the visit (when it took place, the chat and the doctor's notes) as it does for any visit.\nChoose a private, quiet place. You can stop the video visit at any time and ask for an appointment in person instead.",
    clinicMessage: "From {clinic}",
    noteFrom: "Message from {doctor} at {time}",
    presetLate5: "I am running about 5 minutes late. Please stay on this page.",
    presetLate10:
      "I am running about 10 minutes late. Please stay on this page.",
    presetSoon: "I will be with you in a moment.",
    presetStay: "Thank you for waiting. Please keep this page open.",
  },
  es: {
    title: "Registro de llegada",
    heading: "Registre su llegada a la consulta con {doctor}",
    intro:
      "Antes de entrar, confirme su nombre y lea cómo funcionan las consultas por vídeo en {clinic}.",
    nameLabel: "Su nombre",
    nameHint:
      "Tal como lo escribió la clínica. Corrija la ortografía si no es correcta; el médico verá lo que usted confirme.",
    consentHeading: "Consentimiento para una consulta por vídeo",
    consentLabel: "He leído este texto y acepto una consulta por vídeo",
    submit: "Registrar mi llegada y continuar",
    errorsTitle: "Corrija lo siguiente",
    nameEmpty: "Escriba su nombre",
    nameTooLong: "Use como máximo 100 caracteres",
    nameControl:
      "No use saltos de línea, tabulaciones ni otros caracteres de control",
    consentMissing: "Marque la casilla para aceptar, o llame a la clínica",
    consentChanged:
      "La clínica cambió este texto mientras lo leía: vuelva a leerlo, por favor.",
    checkedIn: "Llegada registrada como {name}.",
    defaultConsent:
      "Una consulta por vídeo es una consulta con su médico mediante una videollamada segura, en lugar de en persona. Es posible que el médico no pueda explorarle como en la clínica y que le pida venir si hace falta.\nLa llamada va directamente entre su dispositivo y el del médico y no se graba. La clínica guarda un registro de la consulta (cuándo tuvo lugar, la conversación escrita y las notas del médico), como en cualquier consulta.\nElija un lugar privado y tranquilo. Puede interrumpir la consulta por vídeo en cualquier momento y pedir una cita en persona.",
    clinicMessage: "De {clinic}",
    noteFrom: "Mensaje de {doctor} a las {time}",
    presetLate5:
      "Llevo unos 5 minutos de retraso. Por favor, permanezca en esta página.",
    presetLate10:
      "Llevo unos 10 minutos de retraso. Por favor, permanezca en esta página.",
    presetSoon: "Enseguida estoy con usted.",
    presetStay: "Gracias por esperar. Por favor, mantenga esta página abierta.",
  },
});

/** The doctor's ready-made notes, by the name the API takes. */
export const WAITING_NOTE_PRESETS = {
  late5: "presetLate5",
  late10: "presetLate10",
  soon: "presetSoon",
  stay: "presetStay",
} as const satisfies Record<string, keyof typeof checkIn.en>;
export type WaitingNotePreset = keyof typeof WAITING_NOTE_PRESETS;

/** What the call page shows a waiting patient, in the visit's language. */
export type WaitingText = Pick<typeof checkIn.en, "clinicMessage" | "noteFrom">;
