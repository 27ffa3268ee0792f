/**
 * A head start on the call while the person checks their camera: the join
 * ticket fetched and the signaling socket opened, and the browser's WebRTC
 * machinery woken, so that "Join" has only to say so.
 *
 * @module
 */
import type { JoinOffer } from "@/lib/protocol/messages.ts";

/** A ticket fetched and a socket opened before the person clicks "Join". */
export interface EarlyConnection {
  offer: JoinOffer;
  ws: WebSocket;
  fetchedAt: number;
}

/** Tickets last two minutes; an older early one is not used. */
const EARLY_TICKET_MS = 90_000;

/** The head start under way: `ready` settles with it, then `settled` holds it. */
export interface EarlyStart {
  ready: Promise<EarlyConnection | null>;
  /**
   * What `ready` gave, once it has: a join reads it at once, so that
   * `join-room` leaves in the same moment as the click.
   */
  settled?: EarlyConnection | null;
}

/**
 * Fetches the join ticket and opens the signaling socket while the person
 * is still checking their camera, so that "Join" has only to send
 * `join-room`. Anything unusual (the visit not open yet, no network) gives
 * `null`, and the join then takes the ordinary path with its messages.
 */
export function connectEarly(ticketUrl: string): EarlyStart {
  const start: EarlyStart = { ready: openEarly(ticketUrl) };
  void start.ready.then((early) => (start.settled = early));
  return start;
}

async function openEarly(ticketUrl: string): Promise<EarlyConnection | null> {
  try {
    const res = await fetch(ticketUrl, { method: "POST" });
    if (!res.ok) {
      await res.body?.cancel();
      return null;
    }
    const offer = await res.json() as JoinOffer;
    const ws = new WebSocket(offer.signalingUrl);
    // Until the join, keep the socket alive through the server's pings.
    ws.onmessage = (event) => {
      if (String(event.data).includes('"ping"')) {
        ws.send(JSON.stringify({ type: "pong" }));
      }
    };
    await new Promise<void>((resolve, reject) => {
      ws.onopen = () => resolve();
      ws.onerror = () => reject(new Error("socket failed"));
    });
    return { offer, ws, fetchedAt: Date.now() };
  } catch {
    return null;
  }
}

/**
 * The early connection if it is still fresh and open; a stale one is
 * closed, and the join then fetches a ticket of its own.
 */
export function freshEarly(
  early: EarlyConnection | null,
): EarlyConnection | null {
  if (
    early && early.ws.readyState === WebSocket.OPEN &&
    Date.now() - early.fetchedAt < EARLY_TICKET_MS
  ) return early;
  early?.ws.close();
  return null;
}

/**
 * The browser sets up its WebRTC machinery (codecs, network interfaces) on
 * the first offer a page makes, which on a slow phone takes a noticeable
 * moment. Making one throwaway offer during the device check moves that
 * moment out of the call's setup; the side that answers does it, the side
 * that offers makes its real offer then (`prepared_offer.ts`).
 */
export async function warmUpWebRtc() {
  try {
    const pc = new RTCPeerConnection();
    pc.addTransceiver("audio");
    pc.addTransceiver("video");
    await pc.setLocalDescription();
    pc.close();
  } catch {
    // Only a head start: the call sets everything up anyway.
  }
}
