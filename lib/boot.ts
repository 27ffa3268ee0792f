/**
 * Starting the clinic: configuration (or a clear message and exit), the
 * store, the first doctor, the app, and a clean stop on SIGTERM/SIGINT.
 * `main.ts` (for `deno serve`, possibly `--parallel`) and `start.ts` (one
 * isolate) differ only in their local relay; `SIGNAL_RELAY` may choose
 * Redis or Deno KV instead, for several servers.
 *
 * @module
 */
import fileSettings from "@/fresh.config.ts";
import manifest from "@/fresh.gen.ts";
import { type ClinicConfig, ConfigError, configFromEnv } from "./config.ts";
import { prepareFirstDoctor } from "./auth/first_doctor.ts";
import { createClinicApp } from "./server.ts";
import { log } from "./log.ts";
import type { Relay } from "./signaling/relay.ts";
import { openRelay } from "./signaling/relay_choice.ts";
import { RelayUnavailableError } from "./signaling/redis_relay.ts";
import { openStore, retryWhileLocked } from "./store/kv.ts";
import { assignPatientOwners } from "./store/patient_owners.ts";
import { readAssets, STATIC_DIR } from "./web/build.ts";
import { loadStaticFiles } from "./web/static_files.ts";

function loadConfigOrExit(): ClinicConfig {
  try {
    return configFromEnv(fileSettings);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      Deno.exit(1);
    }
    throw error;
  }
}

/**
 * `local` is the relay for `SIGNAL_RELAY=local`: it differs between one
 * isolate and `deno serve --parallel`.
 */
async function openRelayOrExit(
  config: ClinicConfig,
  kv: Deno.Kv,
  local: () => Relay,
): Promise<Relay> {
  try {
    const relay = await openRelay(config, kv, local);
    log.info("relay.ready", { relay: config.signalRelay });
    return relay;
  } catch (error) {
    if (!(error instanceof RelayUnavailableError)) throw error;
    log.error("relay.unavailable", { error: error.message });
    console.error(
      `${error.message}\nCalls cannot connect without it; the server stops.`,
    );
    Deno.exit(1);
  }
}

export async function bootClinic(local: () => Relay) {
  const config = loadConfigOrExit();
  const kv = await openStore(config.kvPath);
  const relay = await openRelayOrExit(config, kv, local);
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
  const owned = await retryWhileLocked(() => assignPatientOwners(kv));
  if (owned > 0) {
    console.log(
      `${owned} patient record(s) now belong to the doctor of their first visit; their personal links need re-issuing.`,
    );
  }
  const { app, clinic } = createClinicApp({
    config,
    kv,
    manifest,
    assets: await readAssets(),
    staticFiles: await loadStaticFiles(STATIC_DIR),
    relay,
  });

  // On SIGTERM `deno serve` drains and exits; open call sockets and the
  // relay's channel would otherwise keep it running.
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    try {
      Deno.addSignalListener(signal, () => {
        clinic.signaling.close()
          .then(() => relay.close())
          .finally(() => Deno.exit(0));
      });
    } catch {
      // Signals cannot be listened to here (for example on Deno Deploy).
    }
  }
  return { app, clinic, config };
}
