import { define } from "../../lib/define.ts";

/**
 * The call's WebSocket. Browsers always send `Origin`: it must be the
 * clinic's own. Clients that are not browsers send none; their ticket is
 * what admits them.
 */
export const handler = define.handlers({
  GET(ctx) {
    if (ctx.req.headers.get("upgrade")?.toLowerCase() !== "websocket") {
      return Response.json({
        error: {
          code: "upgrade_required",
          message: "Connect with a WebSocket.",
        },
      }, { status: 426, headers: { Upgrade: "websocket" } });
    }
    const origin = ctx.req.headers.get("origin");
    const allowed = [
      new URL(ctx.state.clinic.config.publicUrl).origin,
      ctx.url.origin,
    ];
    if (origin !== null && !allowed.includes(origin)) {
      return Response.json({
        error: {
          code: "cross_site_request",
          message: "This page may not open the call.",
        },
      }, { status: 403 });
    }
    const { socket, response } = Deno.upgradeWebSocket(ctx.req, {
      idleTimeout: 60,
    });
    ctx.state.clinic.signaling.accept(socket);
    return response;
  },
});
