/**
 * A real clinic server for integration tests: the app from the real
 * manifest, listening on 127.0.0.1 port 0, over an in-memory Deno KV.
 *
 * @module
 */
import { type ClinicConfig, loadConfig } from "@/lib/config.ts";
import manifest from "@/fresh.gen.ts";
import { prepareFirstDoctor } from "@/lib/auth/first_doctor.ts";
import { createClinicApp } from "@/lib/server.ts";
import { readAssets, STATIC_DIR } from "@/lib/web/assets.ts";
import { loadStaticFiles } from "@/lib/web/static_files.ts";
import { InProcessRelay } from "@/lib/signaling/relay.ts";
import type { ClinicRuntime } from "@/lib/state.ts";

export const ADMIN = {
  email: "admin@clinic.test",
  password: "admin-password-1",
};

export interface TestServer {
  url: string;
  kv: Deno.Kv;
  config: ClinicConfig;
  clinic: ClinicRuntime;
  close(): Promise<void>;
}

/** Starts a server; `env` overrides settings (an admin is created by default). */
export async function startServer(
  env: Record<string, string> = {},
): Promise<TestServer> {
  const config = loadConfig({
    KV_PATH: ":memory:",
    PORT: "0",
    ICE_SERVERS: "[]",
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    ...env,
  });
  const kv = await Deno.openKv(":memory:");
  await prepareFirstDoctor(kv, config.admin);
  const { app, clinic } = createClinicApp({
    config,
    kv,
    manifest,
    assets: await readAssets(),
    staticFiles: await loadStaticFiles(STATIC_DIR),
    relay: new InProcessRelay(),
  });
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    app.fetch,
  );
  const url = `http://127.0.0.1:${server.addr.port}`;
  // Links given to patients must point at this server.
  config.publicUrl = env.PUBLIC_URL ?? url;
  return {
    url,
    kv,
    config,
    clinic,
    async close() {
      await clinic.mail?.stop();
      await clinic.signaling.close();
      await server.shutdown();
      kv.close();
    },
  };
}

/** A client that keeps the session cookie, like a browser would. */
export class Client {
  /** Every cookie the server set, by name, as a browser keeps them. */
  readonly cookies = new Map<string, string>();
  constructor(readonly base: string) {}

  /** The sign-in cookie as `name=value` (empty when signed out). */
  get cookie(): string {
    for (const [name, value] of this.cookies) {
      if (name.endsWith("clinic_session") && value) return `${name}=${value}`;
    }
    return "";
  }

  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    const jar = [...this.cookies].filter(([, v]) => v)
      .map(([n, v]) => `${n}=${v}`).join("; ");
    if (jar && !headers.has("cookie")) headers.set("cookie", jar);
    const res = await fetch(this.base + path, {
      redirect: "manual",
      ...init,
      headers,
    });
    for (const set of res.headers.getSetCookie()) {
      const pair = set.split(";")[0];
      const eq = pair.indexOf("=");
      this.cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    return res;
  }

  form(path: string, fields: Record<string, string>) {
    return this.fetch(path, {
      method: "POST",
      body: new URLSearchParams(fields),
    });
  }

  json(path: string, body: unknown, method = "POST") {
    return this.fetch(path, {
      method,
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  }

  async signIn(email = ADMIN.email, password = ADMIN.password) {
    const res = await this.form("/login", { email, password });
    await res.body?.cancel();
    if (res.status !== 303) {
      throw new Error(`sign-in failed with ${res.status}`);
    }
    return this;
  }
}

/** The administrator adds a doctor, who is then signed in on a new client. */
export async function addDoctor(
  admin: Client,
  email: string,
  name = "Dr Second",
): Promise<Client> {
  const password = `${email}-password`;
  const added = await admin.form("/doctors", { name, email, password });
  await added.body?.cancel();
  if (added.status !== 303) {
    throw new Error(`adding a doctor failed with ${added.status}`);
  }
  return await new Client(admin.base).signIn(email, password);
}

/** Every key and value in the store, to show that a request wrote nothing. */
export async function snapshot(kv: Deno.Kv): Promise<string> {
  const rows: string[] = [];
  for await (const entry of kv.list({ prefix: [] })) {
    // Sign-in bookkeeping changes on its own; clinic records must not.
    if (["login_sessions", "login_attempts"].includes(String(entry.key[0]))) {
      continue;
    }
    rows.push(JSON.stringify([entry.key, entry.value, entry.versionstamp]));
  }
  return rows.join("\n");
}

/** An ISO start time `minutes` from now, on a whole minute. */
export function startIn(minutes: number): string {
  return new Date(Math.ceil((Date.now() + minutes * 60_000) / 60_000) * 60_000)
    .toISOString();
}
