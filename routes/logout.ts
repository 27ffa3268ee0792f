import { endLoginSession } from "@/lib/auth/login_sessions.ts";
import { readSessionCookie, sessionCookie } from "@/lib/auth/session_cookie.ts";
import { define } from "@/lib/define.ts";
import { clientAddress } from "@/lib/http/client_address.ts";
import { audit } from "@/lib/store/audit.ts";

export const handler = define.handlers({
  async POST(ctx) {
    const { kv, config } = ctx.state.clinic;
    await endLoginSession(kv, readSessionCookie(ctx.req, config));
    if (ctx.state.doctor) {
      await audit(kv, {
        actor: { kind: "doctor", id: ctx.state.doctor.id },
        action: "signout",
        subject: ctx.state.doctor.id,
        address: clientAddress(ctx.hono),
      });
    }
    return new Response(null, {
      status: 303,
      headers: {
        Location: "/login?signed-out",
        "Set-Cookie": sessionCookie(config, null),
      },
    });
  },
});
