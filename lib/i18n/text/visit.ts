/**
 * The visit page a patient opens from their visit link: when the visit is,
 * the "Join call" button and its countdown.
 *
 * @module
 */
import { catalogue } from "../translate.ts";

export const visit = catalogue({
  en: {
    title: "Your video visit",
    heading: "Your video visit with {doctor}",
    about:
      "{minutes} minutes with {clinic}. Use a phone or computer with a camera and microphone, somewhere quiet.",
    calendar: "Add to my calendar (.ics)",
    joinCall: "Join call",
    opensIn:
      "You can join from 10 minutes before the start. The call opens in {countdown}.",
    hours: "{h} h {m} min",
    minutes: "{m} min {s} s",
    seconds: "{s} s",
    opensSoon: "The call opens in {m} min.",
    openNow: "The call is open: you can join now.",
    over: "This visit's time has passed.",
    open: "Your visit is open",
    onThisDevice: "On this device's clock: {time}",
    callTitle: "Video visit",
  },
  es: {
    title: "Su consulta por vídeo",
    heading: "Su consulta por vídeo con {doctor}",
    about:
      "{minutes} minutos con {clinic}. Use un teléfono o un ordenador con cámara y micrófono, en un lugar tranquilo.",
    calendar: "Añadir a mi calendario (.ics)",
    joinCall: "Entrar en la llamada",
    opensIn:
      "Puede entrar desde 10 minutos antes del inicio. La llamada se abre en {countdown}.",
    hours: "{h} h {m} min",
    minutes: "{m} min {s} s",
    seconds: "{s} s",
    opensSoon: "La llamada se abre en {m} min.",
    openNow: "La llamada está abierta: ya puede entrar.",
    over: "La hora de esta consulta ya ha pasado.",
    open: "Su consulta está abierta",
    onThisDevice: "En la hora de este dispositivo: {time}",
    callTitle: "Consulta por vídeo",
  },
});

/** What the JoinCall island shows, in the visit's language. */
export type JoinCallText = Pick<
  typeof visit.en,
  | "joinCall"
  | "opensIn"
  | "hours"
  | "minutes"
  | "seconds"
  | "opensSoon"
  | "openNow"
  | "over"
  | "open"
  | "onThisDevice"
>;
