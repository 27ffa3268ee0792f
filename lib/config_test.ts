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
