import { resumeLoginSession } from "../lib/auth/login_sessions.ts";
import { readSessionCookie } from "../lib/auth/session_cookie.ts";
import { define } from "../lib/define.ts";
import { getDoctor } from "../lib/store/doctors.ts";

/** Finds the signed-in doctor, if any, for every request. */
export const handler = define.middleware(async (ctx) => {
  const { config, kv } = ctx.state.clinic;
  if (!ctx.url.pathname.startsWith("/static/")) {
    const session = await resumeLoginSession(
      kv,
      readSessionCookie(ctx.req, config),
      { idleMs: config.sessionIdleMs, maxMs: config.sessionMaxMs },
    );
    if (session) {
      ctx.state.doctor = await getDoctor(kv, session.doctorId);
      ctx.state.loginSessionHash = ctx.state.doctor ? session.idHash : null;
    }
  }
  return await ctx.next();
});
