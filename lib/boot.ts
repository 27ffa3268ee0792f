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
import { within } from "./time_limit.ts";
import { openRelay } from "./signaling/relay_choice.ts";
import { type Relay, RelayUnavailableError } from "./signaling/relay.ts";
import { openStore, retryWhileLocked } from "./store/kv.ts";
import { assignPatientOwners } from "./store/patient_owners.ts";
import { readAssets, STATIC_DIR } from "./web/assets.ts";
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

/** The store, or a message naming KV_PATH (a missing folder, say) and exit. */
async function openStoreOrExit(path: string | null): Promise<Deno.Kv> {
  try {
    return await openStore(path);
  } catch (error) {
    console.error(
      `Cannot open the Deno KV store ${
        path ?? "of this deployment"
      } (KV_PATH): ${(error as Error).message}`,
    );
    Deno.exit(1);
  }
}

/** How long a stopping server waits for responses under way. */
const FINISH_MS = 3000;
/** When a stopping server exits even if something still holds it open. */
const LAST_RESORT_MS = 1000;

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

/**
 * `local` is the relay for `SIGNAL_RELAY=local`: it differs between one
 * isolate and `deno serve --parallel`.
 */
export async function bootClinic(local: () => Relay) {
  const config = loadConfigOrExit();
  const kv = await openStoreOrExit(config.kvPath);
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

  // On SIGTERM or SIGINT (a restart, a deployment; Deno Deploy allows 5 s):
  // the outbox stops being swept, call sockets are told to reconnect elsewhere, the dashboards' streams
  // end, the responses under way finish, then the relay lets go. Open
  // sockets and the relay would otherwise keep the process running.
  const finishing: (() => Promise<void>)[] = [];
  // A supervisor may send its signal twice, or SIGINT after SIGTERM (a task
  // runner passes its own on): the stop under way is not started again,
  // which would close the store twice.
  let stopping = false;
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    try {
      Deno.addSignalListener(signal, async () => {
        if (stopping) return;
        stopping = true;
        try {
          await clinic.mail?.stop();
          await clinic.signaling.close();
          await within(
            Promise.allSettled(finishing.map((finish) => finish())),
            FINISH_MS,
            "responses still open",
          );
        } catch (error) {
          log.warn("server.stop", { error: String(error) });
        } finally {
          await relay.close();
          kv.close();
          // With nothing left open the process ends by itself. Exiting at
          // once instead would cut short the other isolates of `deno serve
          // --parallel` (one exit ends them all) while they close their own
          // sockets; exit only if something still holds on.
          Deno.unrefTimer(setTimeout(() => Deno.exit(0), LAST_RESORT_MS));
        }
      });
    } catch {
      // Signals cannot be listened to here (for example on Deno Deploy).
    }
  }
  /** Something to finish before the process exits, such as the HTTP server. */
  const beforeExit = (finish: () => Promise<void>) => finishing.push(finish);
  return { app, clinic, config, beforeExit };
}
