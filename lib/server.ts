/**
 * Assembles the clinic's web app: security headers with a per-response CSP
 * nonce, cross-site protection, a body size limit, static files, then the
 * routes from the manifest.
 *
 * @module
 */
import type { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { compress } from "hono/compress";
import { NONCE, secureHeaders } from "hono/secure-headers";
import type { ClinicConfig } from "./config.ts";
import { crossSiteProtection } from "./http/cross_site.ts";
import { HttpError } from "./http/errors.ts";
import { startMailService } from "./mail/scheduler.ts";
import { SignalingHub } from "./signaling/hub.ts";
import type { Relay } from "./signaling/relay.ts";
import type { AppState, ClinicRuntime } from "./state.ts";
import { createFreshApp } from "./web/app.ts";
import type { ClientAssets } from "./web/render.tsx";
import { type StaticFiles, staticFiles } from "./web/static_files.ts";
import type { Manifest } from "./web/types.ts";

/** Requests larger than this are refused before they are read. */
export const MAX_BODY_BYTES = 64 * 1024;

export interface ClinicAppOptions {
  config: ClinicConfig;
  kv: Deno.Kv;
  manifest: Manifest;
  assets: ClientAssets;
  /** The files under `/static/`, read at start (see loadStaticFiles). */
  staticFiles: StaticFiles;
  /** How call messages travel between sockets (see lib/signaling/relay.ts). */
  relay: Relay;
}

export interface ClinicApp {
  app: Hono;
  clinic: ClinicRuntime;
}

export function createClinicApp(options: ClinicAppOptions): ClinicApp {
  const { config, kv, manifest, assets } = options;
  const { relay } = options;
  const clinic = {
    config,
    kv,
    signaling: new SignalingHub({ config, kv, relay }),
    mail: startMailService({ config, kv }),
  };
  const app = createFreshApp<AppState>({
    manifest,
    assets,
    createState: () => ({
      clinic,
      doctor: null,
      loginSessionHash: null,
      signInEnded: null,
      patientPage: null,
    }),
    before: [
      // Pages, scripts and JSON go out compressed; event streams do not.
      compress(),
      secureHeaders({
        contentSecurityPolicy: {
          defaultSrc: ["'self'"],
          scriptSrc: [NONCE, "'strict-dynamic'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", "data:"],
          connectSrc: ["'self'"],
          mediaSrc: ["'self'", "blob:"],
          objectSrc: ["'none'"],
          baseUri: ["'none'"],
          frameAncestors: ["'none'"],
          formAction: ["'self'"],
        },
        permissionsPolicy: {
          camera: ["self"],
          microphone: ["self"],
          displayCapture: ["self"],
          geolocation: [],
          payment: [],
          usb: [],
        },
        referrerPolicy: "no-referrer",
        strictTransportSecurity: config.publicUrl.startsWith("https:")
          ? "max-age=31536000; includeSubDomains"
          : false,
        crossOriginEmbedderPolicy: false,
      }),
      crossSiteProtection({
        trustedOrigins: [new URL(config.publicUrl).origin],
      }),
      bodyLimit({
        maxSize: MAX_BODY_BYTES,
        onError: () => {
          throw new HttpError(413, "too_large", "The request is too large.");
        },
      }),
    ],
    mount: (app) => {
      app.get("/static/*", staticFiles(options.staticFiles));
    },
  });
  return { app, clinic };
}
