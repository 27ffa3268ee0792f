import { define } from "../../lib/define.ts";
import { clientAddress } from "../../lib/http/client_address.ts";

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
    const signaling = ctx.state.clinic.signaling;
    const place = signaling.admit(clientAddress(ctx.hono));
    if (place === "address_full" || place === "server_full") {
      // Refused before the upgrade: a refused client holds no socket.
      return Response.json({
        error: {
          code: place,
          message: place === "address_full"
            ? "Too many calls are open from this address."
            : "The server is full; try again in a moment.",
        },
      }, {
        status: place === "address_full" ? 429 : 503,
        headers: { "Retry-After": "10" },
      });
    }
    let upgrade: Deno.WebSocketUpgrade;
    try {
      upgrade = Deno.upgradeWebSocket(ctx.req, { idleTimeout: 60 });
    } catch {
      place.release();
      return Response.json({
        error: {
          code: "bad_upgrade",
          message: "The WebSocket handshake is incomplete.",
        },
      }, { status: 400 });
    }
    signaling.accept(upgrade.socket, place);
    return upgrade.response;
  },
});
