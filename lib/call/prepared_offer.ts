/**
 * The offer of the side that offers (the doctor), made while the person
 * checks their camera: a peer connection with the camera and microphone
 * on it, its offer set and its candidates kept. When the call starts on
 * the same ticket with the same media, the call takes it over and, once
 * the other side is in the room, only has to send what it holds; the page
 * makes no connection of its own in the moment of the click.
 *
 * @module
 */
import type { ClientMessage, JoinOffer } from "@/lib/protocol/messages.ts";
import { candidateMessage, openPeerConnection } from "./peer_link.ts";

export class PreparedOffer {
  readonly pc: RTCPeerConnection;
  /** The offer, then each candidate gathered, in the order they go. */
  readonly held: ClientMessage[] = [];
  #offered = false;

  constructor(
    readonly ticket: JoinOffer,
    readonly local: MediaStream,
    iceTransportPolicy: RTCIceTransportPolicy,
  ) {
    const pc = openPeerConnection(ticket.iceServers, iceTransportPolicy, local);
    this.pc = pc;
    pc.onicecandidate = ({ candidate }) =>
      this.held.push(candidateMessage(candidate));
    pc.setLocalDescription().then(() => {
      const { type, sdp } = pc.localDescription!;
      if (type !== "offer") return;
      this.held.unshift({ type, sdp });
      this.#offered = true;
    }, () => {
      // Only a head start: the call makes its own offer.
    });
  }

  /**
   * Whether the call may take it over: the offer is made, for this very
   * ticket (its ICE servers) and these very tracks, and nothing else
   * happened to it.
   */
  fits(ticket: JoinOffer, local: MediaStream): boolean {
    return this.#offered && this.ticket === ticket && this.local === local &&
      this.pc.signalingState === "have-local-offer";
  }

  close() {
    this.pc.close();
  }
}
