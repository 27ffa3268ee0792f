/**
 * Doctors' sign-in sessions, kept server-side in Deno KV. The cookie holds a
 * random id; KV holds only its hash. A session ends after a period without
 * use (automatic logoff) and, in any case, after an absolute lifetime; the
 * request that finds it over records the logoff in the audit trail.
 *
 * @module
 */
import { z } from "zod";
import { auditIn } from "@/lib/store/audit.ts";
import { keys } from "@/lib/store/keys.ts";
import { randomToken, TOKEN_PATTERN } from "./tokens.ts";
import { hashToken } from "@/lib/store/ids.ts";

const loginSessionSchema = z.object({
  doctorId: z.string(),
  createdAt: z.number(),
  lastSeenAt: z.number(),
  expiresAt: z.number(),
});
export type LoginSession = z.infer<typeof loginSessionSchema>;

export interface SessionPolicy {
  idleMs: number;
  maxMs: number;
}

/** Writing `lastSeenAt` on every request would cost a write per page. */
const TOUCH_EVERY_MS = 60_000;

/**
 * How stale `lastSeenAt` may get before a use writes it again: a minute,
 * or less under a very short idle time (tests), so that regular use always
 * keeps a sign-in alive.
 */
export function touchEvery(policy: SessionPolicy) {
  return Math.min(TOUCH_EVERY_MS, policy.idleMs / 4);
}

/**
 * Why a sign-in the browser still holds no longer counts: `idle` (no use
 * for the idle time), `maximum` (its absolute lifetime is over), or `gone`
 * (already ended: signed out elsewhere, ended by an administrator, or its
 * end noticed by an earlier request).
 */
export type SignInEnd = "idle" | "maximum" | "gone";

export type Resumed =
  | { session: LoginSession & { idHash: string } }
  | { session: null; ended: SignInEnd | null };

/**
 * A session is kept (no longer valid) this long after its absolute end, so
 * a browser that comes back soon after finds it and the logoff is recorded.
 */
const KEPT_AFTER_MS = 60 * 60_000;

export async function startLoginSession(
  kv: Deno.Kv,
  doctorId: string,
  policy: SessionPolicy,
  now = Date.now(),
): Promise<string> {
  const id = randomToken();
  const session: LoginSession = {
    doctorId,
    createdAt: now,
    lastSeenAt: now,
    expiresAt: now + policy.maxMs,
  };
  await kv.set(keys.loginSession(await hashToken(id)), session, {
    expireIn: policy.maxMs + KEPT_AFTER_MS,
  });
  return id;
}

/**
 * The live session for a cookie value, refreshed; `null` if none. A session
 * found past its idle or absolute limit is removed, and that automatic
 * logoff is recorded in the audit trail (once, with `address`).
 */
export async function resumeLoginSession(
  kv: Deno.Kv,
  id: string | undefined,
  policy: SessionPolicy,
  now = Date.now(),
  address?: string,
): Promise<(LoginSession & { idHash: string }) | null> {
  return (await resumeSignIn(kv, id, policy, now, address)).session;
}

/**
 * As `resumeLoginSession`, and, when a cookie no longer opens a sign-in,
 * why (`null` when there was no cookie worth the name): the sign-in page
 * tells the doctor.
 */
export async function resumeSignIn(
  kv: Deno.Kv,
  id: string | undefined,
  policy: SessionPolicy,
  now = Date.now(),
  address?: string,
): Promise<Resumed> {
  if (!id || !TOKEN_PATTERN.test(id)) return { session: null, ended: null };
  const idHash = await hashToken(id);
  const key = keys.loginSession(idHash);
  const entry = await kv.get(key);
  const parsed = loginSessionSchema.safeParse(entry.value);
  if (!parsed.success) return { session: null, ended: "gone" };
  const session = parsed.data;
  const over = now >= session.expiresAt
    ? "maximum sign-in time"
    : now - session.lastSeenAt >= policy.idleMs
    ? "idle logoff"
    : null;
  if (over) {
    // Checked against the version read: parallel requests record it once.
    const op = kv.atomic().check(entry).delete(key);
    auditIn(op, {
      actor: { kind: "system" },
      action: "signout",
      subject: session.doctorId,
      detail: over,
      address,
    });
    await op.commit();
    return {
      session: null,
      ended: over === "idle logoff" ? "idle" : "maximum",
    };
  }
  if (now - session.lastSeenAt >= touchEvery(policy)) {
    // A lost race here only means another request touched it first.
    await kv.atomic().check(entry).set(key, { ...session, lastSeenAt: now }, {
      expireIn: session.expiresAt - now + KEPT_AFTER_MS,
    }).commit();
  }
  return { session: { ...session, idHash } };
}

/**
 * Counts a doctor's open call as use of their sign-in: the call's socket
 * calls this on joining and on its heartbeats, so a call longer than the
 * idle time does not sign the doctor out. It never revives a sign-in that
 * has already ended, and never moves its absolute end.
 */
export async function keepLoginSessionAlive(
  kv: Deno.Kv,
  idHash: string,
  policy: SessionPolicy,
  now = Date.now(),
): Promise<boolean> {
  const key = keys.loginSession(idHash);
  const entry = await kv.get(key);
  const parsed = loginSessionSchema.safeParse(entry.value);
  if (!parsed.success) return false;
  const session = parsed.data;
  if (now >= session.expiresAt || now - session.lastSeenAt >= policy.idleMs) {
    // Over already: the next request records the logoff.
    return false;
  }
  if (now - session.lastSeenAt < touchEvery(policy)) return true;
  // A lost race only means a request or heartbeat touched it first.
  await kv.atomic().check(entry).set(key, { ...session, lastSeenAt: now }, {
    expireIn: session.expiresAt - now + KEPT_AFTER_MS,
  }).commit();
  return true;
}

export async function endLoginSession(kv: Deno.Kv, id: string | undefined) {
  if (!id || !TOKEN_PATTERN.test(id)) return;
  await kv.delete(keys.loginSession(await hashToken(id)));
}

/** Ends the session with this id hash (one that no longer counts). */
export async function dropLoginSession(kv: Deno.Kv, idHash: string) {
  await kv.delete(keys.loginSession(idHash));
}

/**
 * Whether the session with this id hash is still live, without counting as
 * use: an open page's background stream must not keep a sign-in alive.
 */
export async function loginSessionAlive(
  kv: Deno.Kv,
  idHash: string,
  policy: SessionPolicy,
  now = Date.now(),
): Promise<LoginSession | null> {
  const entry = await kv.get(keys.loginSession(idHash));
  const parsed = loginSessionSchema.safeParse(entry.value);
  if (!parsed.success) return null;
  const session = parsed.data;
  if (now >= session.expiresAt || now - session.lastSeenAt >= policy.idleMs) {
    return null;
  }
  return session;
}
