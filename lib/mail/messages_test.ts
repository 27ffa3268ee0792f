import assert from "node:assert/strict";
import type { Appointment } from "@/lib/store/appointments.ts";
import type { Language } from "@/lib/i18n/languages.ts";
import { formatWhen } from "@/lib/i18n/dates.ts";
import { MAX_SUBJECT } from "./clean.ts";
import {
  cancelledMail,
  invitationMail,
  patientWaitingMail,
  reminderMail,
  type RenderedMail,
  rescheduledMail,
  type VisitMailFacts,
} from "./messages.ts";

const STARTS = Date.UTC(2026, 10, 24, 8, 30);
const BEFORE = Date.UTC(2026, 10, 23, 15, 0);
const URL_ = "https://clinic.example/visit/tok-123";
const ZONE_NAME: Record<Language, string> = {
  en: "Central European Time",
  es: "hora de Europa central",
};

function appointment(over: Partial<Appointment> = {}): Appointment {
  return {
    id: "appt1",
    doctorId: "doc1",
    patientId: "pat1",
    patientName: "Zelda Ortiz",
    reason: "Sensitive reason",
    startsAt: STARTS,
    durationMinutes: 20,
    status: "scheduled",
    visitTokenHash: "hash",
    createdAt: Date.UTC(2026, 10, 1),
    updatedAt: Date.UTC(2026, 10, 2),
    ...over,
  };
}

function facts(
  language: Language,
  over: Partial<VisitMailFacts> = {},
): VisitMailFacts {
  return {
    clinicName: "Riverside Clinic",
    clinicPhone: "+34 600 111 222",
    clinicEmail: "desk@riverside.example",
    doctor: { name: "Dr. Ana Ruiz", title: "Family physician" },
    patientName: "Zelda Ortiz",
    appointment: appointment(),
    visitUrl: URL_,
    language,
    timeZone: "Europe/Madrid",
    icsUid: "appt1@clinic.example",
    sequence: 7,
    ...over,
  };
}

/** Every kind of patient mail, for one language and set of facts. */
function allKinds(f: VisitMailFacts) {
  return {
    invitation: invitationMail(f),
    reminder: reminderMail(f, 86_400_000),
    rescheduled: rescheduledMail(f, {
      previousStartsAt: BEFORE,
      message: "Sorry, I have a clinic that morning.",
    }),
    cancelled: cancelledMail(f, { reason: "The doctor is away that week." }),
  };
}

// deno-lint-ignore no-control-regex
const CONTROL = /[\u0000-\u001F\u007F-\u009F\u2028\u2029]/;

const TAGS = new Set(
  "html head meta title body div p h1 h2 table tr th td del a br blockquote ul li"
    .split(" "),
);

/**
 * The HTML holds only the tags and attributes the layout writes: text that
 * tried to add its own (a script, an image, a handler) would show here.
 */
function assertOnlyOwnMarkup(html: string, label: string) {
  const body = html.replace(/^<!DOCTYPE html>\n/, "");
  for (const [, tag, attributes] of body.matchAll(/<\/?([^\s>\/]*)([^>]*)>/g)) {
    assert.ok(TAGS.has(tag), `${label}: <${tag}>`);
    assert.match(
      attributes,
      /^( (style|href|lang|charset|name|content|role|scope)="[^"<>]*")*$/,
      `${label}: <${tag}${attributes}>`,
    );
  }
  // Every `<` left is a tag's: none comes from text.
  assert.equal(
    body.split("<").length - 1,
    [...body.matchAll(/<\/?[^\s>\/]*[^>]*>/g)].length,
    label,
  );
}

/** What every mail must hold, whatever it says. */
function assertWellFormed(mail: RenderedMail, label: string) {
  assert.doesNotMatch(mail.subject, CONTROL, `${label}: subject`);
  assert.ok(mail.subject.length <= MAX_SUBJECT, `${label}: subject length`);
  assert.equal(mail.subject, mail.subject.trim(), label);
  assert.doesNotMatch(mail.subject, / {2}/, label);
  // Plain text: lines end in LF only; no other control character.
  assert.doesNotMatch(
    mail.text,
    // deno-lint-ignore no-control-regex
    /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u2028\u2029]/,
    `${label}: text`,
  );
  assertOnlyOwnMarkup(mail.html, label);
  assert.match(mail.html, /^<!DOCTYPE html>\n<html lang="(en|es)">/);
  for (const file of mail.attachments) {
    assert.ok(
      !/\r(?!\n)|(?<!\r)\n/.test(file.content),
      `${label}: only CRLF in the invite`,
    );
    assert.doesNotMatch(
      file.content.replace(/\r\n/g, ""),
      CONTROL,
      `${label}: invite`,
    );
    const lines = file.content.replace(/\r\n /g, "").split("\r\n");
    assert.equal(lines.filter((l) => l === "BEGIN:VEVENT").length, 1, label);
    for (const line of lines.slice(0, -1)) {
      assert.match(
        line,
        /^(BEGIN|END|VERSION|PRODID|CALSCALE|METHOD|UID|SEQUENCE|DTSTAMP|DTSTART|DTEND|STATUS|ORGANIZER|SUMMARY|DESCRIPTION|URL)[:;]/,
        `${label}: ${line}`,
      );
    }
  }
}

/** The invite's content lines, folded lines joined again. */
function icsLines(mail: RenderedMail): string[] {
  assert.equal(mail.attachments.length, 1);
  return mail.attachments[0].content.replace(/\r\n /g, "").split("\r\n");
}

for (const language of ["en", "es"] as const) {
  Deno.test(`${language}: every mail has the time with its zone, the doctor, the clinic's contact, and the link while it works`, () => {
    const when = formatWhen(STARTS, "Europe/Madrid", language);
    assert.ok(when.includes(ZONE_NAME[language]));
    for (const [kind, mail] of Object.entries(allKinds(facts(language)))) {
      const label = `${language} ${kind}`;
      assertWellFormed(mail, label);
      for (const body of [mail.text, mail.html]) {
        assert.ok(body.includes(when), `${label}: time`);
        assert.ok(
          body.includes("Dr. Ana Ruiz, Family physician"),
          `${label}: doctor`,
        );
        assert.ok(body.includes("+34 600 111 222"), `${label}: phone`);
        assert.ok(body.includes("desk@riverside.example"), `${label}: email`);
        assert.ok(body.includes("Zelda Ortiz"), `${label}: greeting`);
        // Mail crosses other companies' servers: no reason for the visit.
        assert.ok(!body.includes("Sensitive"), `${label}: reason`);
        assert.equal(
          body.includes(URL_),
          kind !== "cancelled",
          `${label}: link`,
        );
      }
      assert.ok(!mail.subject.includes("Sensitive"), label);
      assert.ok(!mail.subject.includes("Zelda"), label);
      if (kind !== "cancelled") {
        // A button and the raw address beside it.
        assert.equal(mail.html.split(`href="${URL_}"`).length - 1, 2, label);
        assert.ok(mail.html.includes(`>${URL_}</a>`), label);
      }
      assert.match(
        mail.html,
        new RegExp(`<html lang="${language}">`),
        label,
      );
    }
  });

  Deno.test(`${language}: the subject says what happened, and when`, () => {
    const when = formatWhen(STARTS, "Europe/Madrid", language);
    const mails = allKinds(facts(language));
    assert.ok(mails.invitation.subject.includes(when));
    assert.ok(mails.invitation.subject.includes("Dr. Ana Ruiz"));
    assert.ok(mails.rescheduled.subject.includes(when));
    assert.ok(mails.cancelled.subject.includes(when));
    const words = {
      en: { cancelled: /cancelled/, rescheduled: /New time/ },
      es: { cancelled: /cancelada/, rescheduled: /Nueva hora/ },
    }[language];
    assert.match(mails.cancelled.subject, words.cancelled);
    assert.match(mails.rescheduled.subject, words.rescheduled);
  });
}

Deno.test("the Spanish mail is in Spanish, the English one in English", () => {
  const es = allKinds(facts("es"));
  const en = allKinds(facts("en"));
  for (const kind of Object.keys(es) as (keyof typeof es)[]) {
    for (const english of ["Hello", "Kind regards", "How to get ready"]) {
      assert.ok(!es[kind].text.includes(english), `${kind}: ${english}`);
    }
    assert.ok(es[kind].text.includes("Un saludo"), kind);
    assert.ok(en[kind].text.includes("Kind regards"), kind);
  }
  assert.ok(es.invitation.text.includes("Entrar en la videoconsulta"));
  assert.ok(es.invitation.text.includes("Cómo prepararse"));
  assert.ok(
    icsLines(es.invitation).includes(
      "SUMMARY:Videoconsulta con Dr. Ana Ruiz\\, Family physician",
    ),
  );
  assert.ok(
    icsLines(en.invitation).includes(
      "SUMMARY:Video visit with Dr. Ana Ruiz\\, Family physician",
    ),
  );
});

Deno.test("how to get ready: device, place, connection, and when the link opens", () => {
  for (const kind of ["invitation", "reminder", "rescheduled"] as const) {
    const en = allKinds(facts("en"))[kind].text;
    assert.match(en, /camera and a microphone/, kind);
    assert.match(en, /quiet, private place/, kind);
    assert.match(en, /good internet connection/, kind);
    assert.match(en, /from 10 minutes before the visit/, kind);
    const es = allKinds(facts("es"))[kind].text;
    assert.match(es, /cámara y micrófono/, kind);
    assert.match(es, /desde 10 minutos antes/, kind);
  }
  assert.doesNotMatch(allKinds(facts("en")).cancelled.text, /How to get ready/);
});

Deno.test("a reminder says how long until the visit, in the patient's language", () => {
  const cases: [Language, number, string][] = [
    ["en", 86_400_000, "tomorrow"],
    ["en", 3_600_000, "in 1 hour"],
    ["en", 90 * 60_000, "in 90 minutes"],
    ["es", 86_400_000, "mañana"],
    ["es", 3_600_000, "dentro de 1 hora"],
  ];
  for (const [language, offset, phrase] of cases) {
    const mail = reminderMail(facts(language), offset);
    assert.ok(mail.subject.endsWith(phrase), `${mail.subject}`);
    assert.ok(mail.text.includes(phrase), phrase);
    assert.ok(mail.html.includes(phrase), phrase);
    assert.equal(mail.attachments.length, 0);
  }
});

Deno.test("a new time: the old one struck, the new one, the doctor's message if any", () => {
  for (const language of ["en", "es"] as const) {
    const before = formatWhen(BEFORE, "Europe/Madrid", language);
    const after = formatWhen(STARTS, "Europe/Madrid", language);
    const mail = rescheduledMail(facts(language), {
      previousStartsAt: BEFORE,
      message: "Sorry, I have a clinic that morning.",
    });
    assert.ok(
      mail.html.includes(`<del style="color:#52606d;">${before}</del>`),
    );
    assert.ok(mail.text.includes(before) && mail.text.includes(after));
    assert.ok(mail.text.indexOf(before) < mail.text.indexOf(after));
    assert.ok(mail.text.includes("Sorry, I have a clinic that morning."));
    assert.ok(mail.html.includes("Sorry, I have a clinic that morning."));
    const silent = rescheduledMail(facts(language), {
      previousStartsAt: BEFORE,
    });
    assert.doesNotMatch(silent.text, /Message from|Mensaje de/);
    assert.ok(silent.text.includes(before));
  }
});

Deno.test("a cancellation gives the doctor's reason if any, and how to book again", () => {
  const withReason = cancelledMail(facts("es"), {
    reason: "Estoy de baja.\nLo siento.",
  });
  assert.ok(withReason.text.includes("Motivo indicado por Dr. Ana Ruiz:"));
  assert.ok(withReason.text.includes("Estoy de baja.\nLo siento."));
  assert.ok(withReason.html.includes("Estoy de baja.<br>Lo siento."));
  assert.ok(withReason.text.includes("Para reservar otra consulta"));
  const none = cancelledMail(facts("en"), {});
  assert.doesNotMatch(none.text, /Reason given/);
  assert.match(none.text, /To book another visit, contact Riverside Clinic:/);
  // With no phone or email set, the patient is told to use the way they booked.
  const noContact = cancelledMail(
    facts("en", { clinicPhone: undefined, clinicEmail: undefined }),
    { reason: "Away" },
  );
  assert.match(noContact.text, /the way you booked this one/);
  assert.doesNotMatch(noContact.text, /Phone:|Email:/);
  assert.doesNotMatch(icsLines(noContact).join("\n"), /ORGANIZER/);
  // A cancelled visit's mail never passes on its link.
  assert.ok(!none.text.includes("/visit/"));
  assert.ok(!none.html.includes("/visit/"));
});

Deno.test("the clinic's contact sits at the foot only when set", () => {
  const phoneOnly = invitationMail(
    facts("en", { clinicEmail: undefined }),
  );
  assert.match(
    phoneOnly.text,
    /Questions\? Contact Riverside Clinic:\nPhone: \+34 600 111 222\n/,
  );
  assert.doesNotMatch(phoneOnly.text, /Email:/);
  const neither = invitationMail(
    facts("es", { clinicEmail: undefined, clinicPhone: undefined }),
  );
  assert.match(
    neither.text,
    /Contacte con Riverside Clinic por el mismo medio/,
  );
  assert.doesNotMatch(neither.text, /Teléfono:|Correo electrónico:/);
  const noTitle = invitationMail(facts("en", { doctor: { name: "Ana Ruiz" } }));
  assert.match(noTitle.text, /With: Ana Ruiz\n/);
});

Deno.test("calendar events ask to add, update or remove the one event, with the facts' SEQUENCE", () => {
  const first = facts("es", { sequence: 0 });
  const moved = facts("es", {
    sequence: 5,
    appointment: appointment({ updatedAt: Date.UTC(2026, 10, 3) }),
  });
  const invitation = invitationMail(first);
  const rescheduled = rescheduledMail(moved, { previousStartsAt: BEFORE });
  const cancelled = cancelledMail(facts("es", { sequence: 9 }), {});
  const cases = [
    [invitation, "REQUEST", "0"],
    [rescheduled, "REQUEST", "5"],
    [cancelled, "CANCEL", "9"],
  ] as const;
  for (const [mail, method, sequence] of cases) {
    assertWellFormed(mail, method);
    const lines = icsLines(mail);
    assert.ok(lines.includes(`METHOD:${method}`), method);
    assert.ok(lines.includes(`SEQUENCE:${sequence}`), method);
    assert.ok(lines.includes("UID:appt1@clinic.example"), method);
    assert.ok(
      lines.includes(
        'ORGANIZER;CN="Riverside Clinic":mailto:desk@riverside.example',
      ),
    );
    assert.equal(
      mail.attachments[0].contentType,
      `text/calendar; charset=utf-8; method=${method}`,
    );
    assert.equal(lines.includes("STATUS:CANCELLED"), method === "CANCEL");
    assert.equal(lines.includes(`URL:${URL_}`), method !== "CANCEL");
    assert.ok(lines.includes("DTSTART:20261124T083000Z"));
    assert.ok(lines.includes("DTEND:20261124T085000Z"));
    const ics = mail.attachments[0].content;
    assert.doesNotMatch(ics, /Zelda|Sensitive|ATTENDEE/);
  }
  assert.ok(icsLines(cancelled).some((l) => l.startsWith("SUMMARY:Cancelada")));
  // The same facts give the same mail, byte for byte (no clock inside).
  assert.deepEqual(invitationMail(first), invitation);
});

const HOSTILE = [
  "Eve\r\nBcc: all@example.org",
  "Eve\rSubject: x",
  "Eve\nX-Header: y",
  "Eve\u0085\u2028\u2029next",
  "Eve\u0000\u0007\u001b[31m\u007f\u009b",
  "Eve\ttab\u000b\u000c",
  "<script>alert(1)</script>",
  '"><img src=x onerror=alert(1)>',
  "Eve\u202Egnp.exe",
  "END:VEVENT\r\nBEGIN:VEVENT\r\nATTENDEE:evil@example.org",
  "x;y,z\\",
  "é".repeat(300),
];

Deno.test("hostile names, titles, reasons and messages reach no header, no markup and no calendar line", () => {
  for (const hostile of HOSTILE) {
    for (const language of ["en", "es"] as const) {
      const f = facts(language, {
        clinicName: `Clinic ${hostile}`,
        patientName: hostile,
        doctor: { name: `Dr ${hostile}`, title: hostile },
        appointment: appointment({ patientName: hostile, reason: hostile }),
      });
      const mails = {
        invitation: invitationMail(f),
        reminder: reminderMail(f, 3_600_000),
        rescheduled: rescheduledMail(f, {
          previousStartsAt: BEFORE,
          message: hostile,
        }),
        cancelled: cancelledMail(f, { reason: hostile }),
        waiting: patientWaitingMail({
          clinicName: hostile,
          doctorName: hostile,
          patientName: hostile,
          waitedMs: 600_000,
          appointmentUrl: "https://clinic.example/appointments/appt1",
          startsAt: STARTS,
          timeZone: "Europe/Madrid",
        }),
      };
      for (const [kind, mail] of Object.entries(mails)) {
        const label = `${language} ${kind} ${JSON.stringify(hostile)}`;
        assertWellFormed(mail, label);
        // The would-be header stays words on the subject's one line.
        assert.equal(mail.subject.split(/\r|\n/).length, 1, label);
        if (hostile.includes("<")) {
          assert.ok(!mail.html.includes(hostile), label);
          assert.ok(mail.html.includes("&lt;"), label);
        }
        assert.doesNotMatch(mail.html, /\u202E/, label);
      }
    }
  }
});

Deno.test("oversized text is capped: the subject, and a doctor's long note", () => {
  const long = "Ana".repeat(400);
  const f = facts("en", { doctor: { name: long } });
  const mail = invitationMail(f);
  assert.ok(mail.subject.length <= MAX_SUBJECT);
  // The time still shows: a long name is cut first.
  assert.ok(mail.subject.includes("2026"));
  const note = "x".repeat(50_000);
  const cancelled = cancelledMail(facts("en"), { reason: note });
  assert.ok(cancelled.text.length < 6_000, `${cancelled.text.length}`);
  assert.ok(cancelled.text.includes("x".repeat(1000)));
  assert.ok(cancelled.text.includes("…"));
});

Deno.test("links must be web links", () => {
  assert.throws(() =>
    invitationMail(facts("en", { visitUrl: "javascript:alert(1)" }))
  );
  const spaced = invitationMail(
    facts("en", { visitUrl: 'https://clinic.example/visit/a b"c' }),
  );
  assert.ok(
    spaced.html.includes('href="https://clinic.example/visit/a%20b%22c"'),
  );
});

Deno.test("a doctor hears, in English, that a patient has waited", () => {
  const mail = patientWaitingMail({
    clinicName: "Riverside Clinic",
    doctorName: "Ana Ruiz",
    patientName: "Zelda Ortiz",
    waitedMs: 12 * 60_000,
    appointmentUrl: "https://clinic.example/appointments/appt1",
    startsAt: STARTS,
    timeZone: "Europe/Madrid",
  });
  assertWellFormed(mail, "waiting");
  assert.equal(
    mail.subject,
    "A patient has waited 12 minutes for your video visit",
  );
  const when = formatWhen(STARTS, "Europe/Madrid", "en");
  for (const body of [mail.text, mail.html]) {
    assert.ok(body.includes("Zelda Ortiz"));
    assert.ok(body.includes(when));
    assert.ok(body.includes("https://clinic.example/appointments/appt1"));
    assert.ok(body.includes("12 minutes"));
  }
  assert.deepEqual(mail.attachments, []);
});
