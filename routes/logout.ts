import { endLoginSession } from "../lib/auth/login_sessions.ts";
import {
  readSessionCookie,
  sessionCookie,
} from "../lib/auth/session_cookie.ts";
import { define } from "../lib/define.ts";

export const handler = define.handlers({
  async POST(ctx) {
    const { kv, config } = ctx.state.clinic;
    await endLoginSession(kv, readSessionCookie(ctx.req, config));
    return new Response(null, {
      status: 303,
      headers: {
        Location: "/login?signed-out",
        "Set-Cookie": sessionCookie(config, null),
      },
    });
  },
});
