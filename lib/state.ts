/**
 * What every request of the clinic app carries: the clinic (configuration
 * and store) and the signed-in doctor, if any.
 *
 * @module
 */
import type { ClinicConfig } from "../fresh.config.ts";
import type { SignalingHub } from "./signaling/hub.ts";
import type { Doctor } from "./store/doctors.ts";

export interface Clinic {
  config: ClinicConfig;
  kv: Deno.Kv;
  signaling: SignalingHub;
}

export interface AppState {
  clinic: Clinic;
  doctor: Doctor | null;
  /** Hash of the sign-in session id, for what is shown to it once. */
  loginSessionHash: string | null;
}
