/**
 * "Test my camera and microphone": the page a patient opens from the visit
 * link at any time, to try their camera, microphone and speaker without
 * joining the call. What goes wrong is explained with the call's own help
 * (`call.ts`); this is the rest of the page.
 *
 * @module
 */
import { catalogue } from "../translate.ts";

export const deviceTest = catalogue({
  en: {
    title: "Test my camera and microphone",
    intro:
      "Try your camera, microphone and speaker before the visit. Nothing is sent to the clinic and nobody sees you here.",
    link: "Test my camera and microphone",
    start: "Start the test",
    again: "Test again",
    results: "Results",
    cameraWorks: "Camera works.",
    cameraFailed: "We cannot use your camera: {help}",
    microphoneWorks: "Microphone works.",
    microphoneFailed: "We cannot use your microphone: {help}",
    speak: "Say something: the bar should move.",
    blocked:
      "allow it in the browser settings (the camera icon in the address bar, or your phone's site settings), then test again.",
    notFound: "none was found. Connect one, or use a device that has one.",
    busy: "another app is using it. Close that app, then test again.",
    unavailable: "reload the page and test again, or try another browser.",
    insecure:
      "this page is not secure. Open the link exactly as the clinic sent it.",
    speakerHeading: "Speaker",
    playSound: "Play a test sound",
    heardSound: "Did you hear the sound?",
    yes: "Yes",
    no: "No",
    speakerWorks: "Speaker works.",
    speakerFailed:
      "Turn the volume up, unmute the device, or connect headphones, then play the sound again.",
    back: "Back to my visit",
  },
  es: {
    title: "Probar mi cámara y mi micrófono",
    intro:
      "Pruebe su cámara, su micrófono y su altavoz antes de la consulta. No se envía nada a la clínica y aquí nadie le ve.",
    link: "Probar mi cámara y mi micrófono",
    start: "Empezar la prueba",
    again: "Probar de nuevo",
    results: "Resultados",
    cameraWorks: "La cámara funciona.",
    cameraFailed: "No podemos usar su cámara: {help}",
    microphoneWorks: "El micrófono funciona.",
    microphoneFailed: "No podemos usar su micrófono: {help}",
    speak: "Diga algo: la barra debería moverse.",
    blocked:
      "permítalo en los ajustes del navegador (el icono de la cámara en la barra de direcciones, o los ajustes del sitio en su teléfono) y vuelva a probar.",
    notFound:
      "no se encontró ninguno. Conecte uno, o use un dispositivo que lo tenga.",
    busy: "otra aplicación lo está usando. Ciérrela y vuelva a probar.",
    unavailable:
      "recargue la página y vuelva a probar, o pruebe con otro navegador.",
    insecure:
      "esta página no es segura. Abra el enlace tal como se lo envió la clínica.",
    speakerHeading: "Altavoz",
    playSound: "Reproducir un sonido de prueba",
    heardSound: "¿Ha oído el sonido?",
    yes: "Sí",
    no: "No",
    speakerWorks: "El altavoz funciona.",
    speakerFailed:
      "Suba el volumen, quite el silencio del dispositivo o conecte unos auriculares, y vuelva a reproducir el sonido.",
    back: "Volver a mi consulta",
  },
});

/** The test page's text in one language, as its island receives it. */
export type DeviceTestText = typeof deviceTest.en;
