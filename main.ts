/**
 * The server entry. `deno serve main.ts` (or `deno serve --parallel`) uses
 * the default export; `deno task start` runs it through `start.ts`.
 *
 * @module
 */
import { ConfigError, configFromEnv } from "./fresh.config.ts";
import manifest from "./fresh.gen.ts";
import { prepareFirstDoctor } from "./lib/auth/first_doctor.ts";
import { createClinicApp } from "./lib/server.ts";
import { openStore, retryWhileLocked } from "./lib/store/kv.ts";
import { readAssets } from "./lib/web/build.ts";

function loadConfigOrExit() {
  try {
    return configFromEnv();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      Deno.exit(1);
    }
    throw error;
  }
}

const config = loadConfigOrExit();
const kv = await openStore(config.kvPath);
const first = await retryWhileLocked(() =>
  prepareFirstDoctor(kv, config.admin)
);
if (first.kind === "admin-created") {
  console.log(`Created the clinic's first doctor account: ${first.email}`);
} else if (first.kind === "setup-link") {
  console.log(
    `No doctor account yet. Open this one-time link to create the first one:\n  ${config.publicUrl}/setup/${first.token}`,
  );
}

const { app, clinic } = createClinicApp({
  config,
  kv,
  manifest,
  assets: await readAssets(),
});

// On SIGTERM `deno serve` drains and exits; open call sockets and the
// relay's channel would otherwise keep it running.
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  try {
    Deno.addSignalListener(signal, () => {
      clinic.signaling.close().finally(() => {
        clinic.signaling.options.relay.close();
        Deno.exit(0);
      });
    });
  } catch {
    // Signals cannot be listened to here (for example on Deno Deploy).
  }
}

export { config };
export default { fetch: app.fetch } satisfies Deno.ServeDefaultExport;
