import { define } from "@/lib/define.ts";
import { clientAddress } from "@/lib/http/client_address.ts";
import { HttpError } from "@/lib/http/errors.ts";

/**
 * The call's WebSocket. Browsers always send `Origin`: it must be the
 * clinic's own. Clients that are not browsers send none; their ticket is
 * what admits them.
 */
export const handler = define.handlers({
  GET(ctx) {
    if (ctx.req.headers.get("upgrade")?.toLowerCase() !== "websocket") {
      throw new HttpError(426, "upgrade_required", "Connect with a WebSocket.")
        .withHeaders({ Upgrade: "websocket" });
    }
    const origin = ctx.req.headers.get("origin");
    const allowed = [
      new URL(ctx.state.clinic.config.publicUrl).origin,
      ctx.url.origin,
    ];
    if (origin !== null && !allowed.includes(origin)) {
      throw new HttpError(
        403,
        "cross_site_request",
        "This page may not open the call.",
      );
    }
    const signaling = ctx.state.clinic.signaling;
    const place = signaling.admit(clientAddress(ctx.hono));
    if (place === "address_full" || place === "server_full") {
      // Refused before the upgrade: a refused client holds no socket.
      throw (place === "address_full"
        ? new HttpError(
          429,
          place,
          "Too many calls are open from this address.",
        )
        : new HttpError(
          503,
          place,
          "The server is full; try again in a moment.",
        )).withHeaders({ "Retry-After": "10" });
    }
    let upgrade: Deno.WebSocketUpgrade;
    try {
      upgrade = Deno.upgradeWebSocket(ctx.req, { idleTimeout: 60 });
    } catch {
      place.release();
      throw new HttpError(
        400,
        "bad_upgrade",
        "The WebSocket handshake is incomplete.",
      );
    }
    signaling.accept(upgrade.socket, place);
    return upgrade.response;
  },
});
