import { dropLoginSession, resumeSignIn } from "@/lib/auth/login_sessions.ts";
import { readSessionCookie } from "@/lib/auth/session_cookie.ts";
import { define } from "@/lib/define.ts";
import { clientAddress } from "@/lib/http/client_address.ts";
import { acceptsSignIn, getDoctor } from "@/lib/store/doctors.ts";

/** Finds the signed-in doctor, if any, for every request. */
export const handler = define.middleware(async (ctx) => {
  const { config, kv } = ctx.state.clinic;
  if (!ctx.url.pathname.startsWith("/static/")) {
    const resumed = await resumeSignIn(
      kv,
      readSessionCookie(ctx.req, config),
      { idleMs: config.sessionIdleMs, maxMs: config.sessionMaxMs },
      Date.now(),
      clientAddress(ctx.hono),
    );
    const session = resumed.session;
    // Why a sign-in the browser held is over, for the sign-in page to say.
    if (!session) ctx.state.signInEnded = resumed.ended;
    if (session) {
      const doctor = await getDoctor(kv, session.doctorId);
      if (doctor && acceptsSignIn(doctor, session.createdAt)) {
        ctx.state.doctor = doctor;
        ctx.state.loginSessionHash = session.idHash;
      } else {
        // Deactivated, or their sessions were ended: this one is over.
        await dropLoginSession(kv, session.idHash);
        ctx.state.signInEnded = "gone";
      }
    }
  }
  return await ctx.next();
});
