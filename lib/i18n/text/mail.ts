/**
 * The mail a patient gets about a visit (invitation, reminder, new time,
 * cancellation) and the calendar event attached to it. The mail itself is
 * put together in `lib/mail/messages.ts`; how to reach the clinic comes
 * from the `common` catalogue.
 *
 * @module
 */
import { catalogue } from "../translate.ts";

export const mail = catalogue({
  en: {
    greeting: "Hello {name},",
    regards: "Kind regards,",
    whenLabel: "When",
    withLabel: "With",
    lengthLabel: "Length",
    joinButton: "Join the video visit",
    linkFallback:
      "If the button does not work, copy this link into your browser:",
    linkPrivate: "This link is yours alone: please do not share it.",

    invitationSubject: "Video visit with {doctor}: {when}",
    invitationHeading: "Your video visit",
    invitationIntro: "{clinic} has booked a video visit for you.",
    invitationHow:
      "At the time of the visit, open your link in a browser. There is nothing to install and no account to create.",
    calendarAdd: "The attached file adds the visit to your calendar.",

    reminderSubject: "Reminder: your video visit with {doctor} is {relative}",
    reminderHeading: "Your video visit is {relative}",
    reminderIntro: "A reminder from {clinic}: your video visit is {relative}.",

    rescheduledSubject: "New time for your video visit: {when}",
    rescheduledHeading: "Your video visit has a new time",
    rescheduledIntro: "{clinic} has moved your video visit to a new time.",
    previousTime: "Old time (no longer valid)",
    newTime: "New time",
    doctorMessage: "Message from {doctor}:",
    calendarUpdate: "The attached file updates the visit in your calendar.",

    cancelledSubject: "Your video visit on {when} is cancelled",
    cancelledHeading: "Your video visit is cancelled",
    cancelledIntro: "{clinic} has cancelled this video visit:",
    cancelledReason: "Reason given by {doctor}:",
    cancelledLink: "The visit link no longer works.",
    bookAgain: "To book another visit, contact {clinic}:",
    bookAgainNoContact:
      "To book another visit, contact {clinic} the way you booked this one.",
    calendarRemove: "The attached file removes the visit from your calendar.",

    prepareHeading: "How to get ready",
    prepareDevice:
      "Use a phone, tablet or computer with a camera and a microphone.",
    preparePlace: "Find a quiet, private place where you can talk freely.",
    prepareConnection:
      "Make sure you have a good internet connection (Wi-Fi if you can).",
    prepareEarly:
      "Join a few minutes early: your link works from {minutes} minutes before the visit.",
    prepareWaiting:
      "If your doctor has not joined yet, you will wait in a waiting room until they do.",

    icsSummary: "Video visit with {doctor}",
    icsDescription: "Video visit with {clinic}. Open {url} to join.",
    icsCancelledSummary: "Cancelled: video visit with {doctor}",
    icsCancelledDescription: "This video visit with {clinic} is cancelled.",
  },
  es: {
    greeting: "Hola, {name}:",
    regards: "Un saludo,",
    whenLabel: "Cuándo",
    withLabel: "Con",
    lengthLabel: "Duración",
    joinButton: "Entrar en la videoconsulta",
    linkFallback: "Si el botón no funciona, copie este enlace en su navegador:",
    linkPrivate: "Este enlace es solo para usted: no lo comparta.",

    invitationSubject: "Videoconsulta con {doctor}: {when}",
    invitationHeading: "Su videoconsulta",
    invitationIntro: "{clinic} le ha reservado una videoconsulta.",
    invitationHow:
      "A la hora de la consulta, abra su enlace en un navegador. No hay que instalar nada ni crear ninguna cuenta.",
    calendarAdd: "El archivo adjunto añade la consulta a su calendario.",

    reminderSubject:
      "Recordatorio: su videoconsulta con {doctor} es {relative}",
    reminderHeading: "Su videoconsulta es {relative}",
    reminderIntro:
      "Le recordamos de parte de {clinic} que su videoconsulta es {relative}.",

    rescheduledSubject: "Nueva hora para su videoconsulta: {when}",
    rescheduledHeading: "Su videoconsulta tiene una nueva hora",
    rescheduledIntro: "{clinic} ha cambiado la hora de su videoconsulta.",
    previousTime: "Hora anterior (ya no es válida)",
    newTime: "Nueva hora",
    doctorMessage: "Mensaje de {doctor}:",
    calendarUpdate:
      "El archivo adjunto actualiza la consulta en su calendario.",

    cancelledSubject: "Su videoconsulta del {when} queda cancelada",
    cancelledHeading: "Su videoconsulta está cancelada",
    cancelledIntro: "{clinic} ha cancelado esta videoconsulta:",
    cancelledReason: "Motivo indicado por {doctor}:",
    cancelledLink: "El enlace de la consulta ya no funciona.",
    bookAgain: "Para reservar otra consulta, contacte con {clinic}:",
    bookAgainNoContact:
      "Para reservar otra consulta, contacte con {clinic} por el mismo medio con el que reservó esta.",
    calendarRemove: "El archivo adjunto elimina la consulta de su calendario.",

    prepareHeading: "Cómo prepararse",
    prepareDevice:
      "Use un teléfono, una tableta o un ordenador con cámara y micrófono.",
    preparePlace:
      "Busque un lugar tranquilo y privado donde pueda hablar con libertad.",
    prepareConnection:
      "Asegúrese de tener una buena conexión a internet (wifi, si puede).",
    prepareEarly:
      "Entre unos minutos antes: su enlace funciona desde {minutes} minutos antes de la consulta.",
    prepareWaiting:
      "Si su médico aún no ha entrado, esperará en una sala de espera hasta que entre.",

    icsSummary: "Videoconsulta con {doctor}",
    icsDescription: "Videoconsulta con {clinic}. Abra {url} para entrar.",
    icsCancelledSummary: "Cancelada: videoconsulta con {doctor}",
    icsCancelledDescription: "Esta videoconsulta con {clinic} está cancelada.",
  },
});
