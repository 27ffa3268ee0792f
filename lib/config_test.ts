import assert from "node:assert/strict";
import {
  ConfigError,
  configFromEnv,
  contrastWithWhite,
  loadConfig,
} from "./config.ts";

Deno.test("a setting from the deployment's file is used, and the environment wins over it", () => {
  const name = "CLINIC_NAME";
  const before = Deno.env.get(name);
  try {
    Deno.env.delete(name);
    assert.equal(
      configFromEnv({ CLINIC_NAME: "Hillside Practice" }).clinicName,
      "Hillside Practice",
    );
    Deno.env.set(name, "Harbour Clinic");
    assert.equal(
      configFromEnv({ CLINIC_NAME: "Hillside Practice" }).clinicName,
      "Harbour Clinic",
    );
    // An empty variable is unset, so the file's value stands.
    Deno.env.set(name, " ");
    assert.equal(
      configFromEnv({ CLINIC_NAME: "Hillside Practice" }).clinicName,
      "Hillside Practice",
    );
  } finally {
    if (before === undefined) Deno.env.delete(name);
    else Deno.env.set(name, before);
  }
});

Deno.test("a wrong setting is refused with its name, whichever place it came from", () => {
  assert.throws(
    () => loadConfig({ CLINIC_TIME_ZONE: "Mars/Olympus" }),
    (error: Error) =>
      error instanceof ConfigError &&
      error.message.includes("CLINIC_TIME_ZONE"),
  );
  assert.throws(
    () => configFromEnv({ PORT: "eighty" }),
    (error: Error) =>
      error instanceof ConfigError && error.message.includes("PORT"),
  );
});

Deno.test("the relay and the store follow the deployment, unless chosen", () => {
  const plain = loadConfig({});
  assert.equal(plain.signalRelay, "local");
  assert.equal(plain.kvPath, "data/clinic.kv");
  const redis = loadConfig({
    REDIS_URL: "rediss://:secret@redis.internal:6380",
  });
  assert.equal(redis.signalRelay, "redis");
  const deploy = loadConfig({ DENO_DEPLOYMENT_ID: "abc123" });
  assert.equal(deploy.signalRelay, "kv");
  assert.equal(deploy.kvPath, null, "Deno Deploy's own KV");
  assert.equal(
    loadConfig({ DENO_DEPLOYMENT_ID: "abc123", REDIS_URL: "redis://r:6379" })
      .signalRelay,
    "redis",
  );
  assert.equal(
    loadConfig({ REDIS_URL: "redis://r:6379", SIGNAL_RELAY: "local" })
      .signalRelay,
    "local",
  );
});

Deno.test("a relay setting that cannot work is refused, naming it", () => {
  for (
    const [settings, name] of [
      [{ SIGNAL_RELAY: "redis" }, "REDIS_URL"],
      [{ SIGNAL_RELAY: "carrier-pigeon" }, "SIGNAL_RELAY"],
      [{ REDIS_URL: "http://redis.internal:6379" }, "REDIS_URL"],
      [{ REDIS_URL: "redis.internal:6379" }, "REDIS_URL"],
      [{ REDIS_URL: "redis://r:6379\r\nFLUSHALL" }, "REDIS_URL"],
    ] as const
  ) {
    assert.throws(
      () => loadConfig(settings),
      (error: Error) =>
        error instanceof ConfigError && error.message.includes(name),
      JSON.stringify(settings),
    );
  }
});

Deno.test("mail is off without an SMTP server, and SMTP_URL or SMTP_HOST turn it on", () => {
  assert.equal(loadConfig({}).mail, null);
  const byUrl = loadConfig({
    SMTP_URL: "smtp://desk%40clinic.example:p%3Ass@127.0.0.1:2525",
    CLINIC_EMAIL: "desk@clinic.example",
  }).mail;
  assert.deepEqual(byUrl, {
    host: "127.0.0.1",
    port: 2525,
    tls: "starttls",
    user: "desk@clinic.example",
    password: "p:ss",
    from: '"Riverside Clinic" <desk@clinic.example>',
  });
  const byHost = loadConfig({
    SMTP_HOST: "mail.clinic.example",
    SMTP_TLS: "tls",
    MAIL_FROM: "Riverside <visits@clinic.example>",
  }).mail;
  assert.equal(byHost?.port, 465);
  assert.equal(byHost?.from, "Riverside <visits@clinic.example>");
  const reminders = loadConfig({ REMINDER_MINUTES: "60, 1440" });
  assert.deepEqual(reminders.reminderOffsetsMs, [86_400_000, 3_600_000]);
});

Deno.test("a mail or contact setting that could break a header is refused, naming it", () => {
  const cases: [Record<string, string>, string][] = [
    [{ SMTP_URL: "http://mail.example" }, "SMTP_URL"],
    [{ SMTP_HOST: "mail.example" }, "MAIL_FROM"],
    [
      { SMTP_HOST: "a", SMTP_URL: "smtp://b", MAIL_FROM: "a@b.co" },
      "SMTP_HOST",
    ],
    [{ SMTP_HOST: "a", MAIL_FROM: "A <a@b.co>\r\nBcc: x@y.z" }, "MAIL_FROM"],
    [{ CLINIC_EMAIL: "desk@clinic.example\r\nBcc: x@y.z" }, "CLINIC_EMAIL"],
    [{ CLINIC_PHONE: "555\n0100" }, "CLINIC_PHONE"],
    [{ CLINIC_LANGUAGE: "fr" }, "CLINIC_LANGUAGE"],
    [{ REMINDER_MINUTES: "60,soon" }, "REMINDER_MINUTES"],
    [{ WAITING_NOTICE_MINUTES: "0" }, "WAITING_NOTICE_MINUTES"],
  ];
  for (const [env, name] of cases) {
    assert.throws(
      () => loadConfig(env),
      (e) => e instanceof ConfigError && e.message.includes(name),
      JSON.stringify(env),
    );
  }
});

Deno.test("the consent and the waiting-room message are the clinic's own text, in every language or none", () => {
  const none = loadConfig({});
  assert.equal(none.consentText, null);
  assert.equal(none.waitingRoomMessage, null);
  const set = loadConfig({
    CONSENT_TEXT_EN: "  We see you by video.\\nYou may stop at any time.  ",
    CONSENT_TEXT_ES:
      "Le atendemos por vídeo.\r\n\r\nPuede parar cuando quiera.",
    WAITING_ROOM_MESSAGE_EN: "Have your medication list at hand.",
    WAITING_ROOM_MESSAGE_ES: "Tenga a mano su lista de medicamentos.",
  });
  // `\n` typed as two characters is a paragraph break; blank lines go.
  assert.deepEqual(set.consentText, {
    en: "We see you by video.\nYou may stop at any time.",
    es: "Le atendemos por vídeo.\nPuede parar cuando quiera.",
  });
  assert.equal(
    set.waitingRoomMessage?.es,
    "Tenga a mano su lista de medicamentos.",
  );
  const refused = (settings: Record<string, string>, name: RegExp) =>
    assert.throws(() => loadConfig(settings), (e: Error) => {
      assert.ok(e instanceof ConfigError);
      assert.match(e.message, name);
      return true;
    });
  const es = "Le atendemos por vídeo. Puede parar cuando quiera.";
  refused(
    { CONSENT_TEXT_EN: "We see you by video, you agree." },
    /CONSENT_TEXT_ES/,
  );
  refused({ WAITING_ROOM_MESSAGE_ES: "Hola" }, /WAITING_ROOM_MESSAGE_ES/);
  refused(
    { CONSENT_TEXT_EN: "Too short", CONSENT_TEXT_ES: es },
    /CONSENT_TEXT_EN.*at least 20/,
  );
  refused(
    { CONSENT_TEXT_EN: "x".repeat(4001), CONSENT_TEXT_ES: es },
    /CONSENT_TEXT_EN.*at most 4000/,
  );
  refused(
    {
      CONSENT_TEXT_EN: "We see you\u0007 by video, you agree.",
      CONSENT_TEXT_ES: es,
    },
    /CONSENT_TEXT_EN.*control characters/,
  );
  refused(
    {
      CONSENT_TEXT_EN: "We see you by \u202Evideo, you agree.",
      CONSENT_TEXT_ES: es,
    },
    /CONSENT_TEXT_EN.*control characters/,
  );
  refused(
    { WAITING_ROOM_MESSAGE_EN: "a".repeat(501), WAITING_ROOM_MESSAGE_ES: "b" },
    /WAITING_ROOM_MESSAGE_EN.*at most 500/,
  );
});

Deno.test("a clinic colour too light for white text on it is refused", () => {
  assert.equal(loadConfig({ CLINIC_COLOUR: "#1d3f6e" }).colour, "#1d3f6e");
  assert.ok(contrastWithWhite("#0b6e4f") >= 4.5, "the default passes");
  assert.ok(Math.abs(contrastWithWhite("#000000") - 21) < 0.01);
  assert.ok(Math.abs(contrastWithWhite("#ffffff") - 1) < 0.01);
  for (const light of ["#ffcc00", "#7fd3b0", "#ffffff", "#3399ff"]) {
    assert.throws(
      () => loadConfig({ CLINIC_COLOUR: light }),
      (e) =>
        e instanceof ConfigError && /CLINIC_COLOUR: .*4\.5:1/.test(e.message),
      light,
    );
  }
});
