import assert from "node:assert/strict";
import { ConfigError, configFromEnv, loadConfig } from "./config.ts";

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
